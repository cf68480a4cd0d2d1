/** One bar: what it counts and how many. */
export interface Bar {
  label: string;
  value: number;
}

export interface BarChartOptions {
  /** Unique on the page: the SVG's title and description are referenced by these ids. */
  id: string;
  title: string;
  bars: readonly Bar[];
  /** The unit after each value, singular and plural ("case", "cases"). */
  unit?: [string, string];
  /** Bars drawn at most (the largest, in the order given); the table beneath has them all. */
  maxBars?: number;
  width?: number;
}

const NUMBER = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
/** Near-black on white (GOV.UK's text colour), about 19:1. */
const TEXT = '#0b0c0c';
const ROW = 46;
const LABEL_MAX = 90;
const VALUE_SPACE = 110;
const PAD = 8;

/** Text safe inside SVG markup and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function clip(label: string): string {
  const oneLine = label.replace(/\s+/g, ' ').trim();
  return oneLine.length > LABEL_MAX ? `${oneLine.slice(0, LABEL_MAX - 1)}…` : oneLine;
}

/**
 * A horizontal bar chart as SVG markup, drawn on the server. Each bar has its label above it and
 * its number written beside it, so nothing depends on colour; the SVG is one image to assistive
 * technology (role="img", named by its title and described by its desc), and the same figures
 * go in a table beneath. Labels are escaped here: the result is markup to insert as it is.
 * Every text sits on white, above its bar or after its end, never on the bar (app.css says so to
 * contrast checkers, which cannot see a background through an SVG).
 */
export function barChartSvg(options: BarChartOptions): string {
  const width = options.width ?? 720;
  const [one, many] = options.unit ?? ['case', 'cases'];
  const unit = (n: number) => `${NUMBER.format(n)} ${n === 1 ? one : many}`;
  const all = options.bars.filter((b) => Number.isFinite(b.value));
  const bars = all.slice(0, options.maxBars ?? all.length);
  const id = options.id.replace(/[^A-Za-z0-9_-]/g, '-');
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;

  let description: string;
  if (bars.length === 0) {
    description = 'No figures to show for this range.';
  } else {
    const top = bars.reduce((a, b) => (b.value > a.value ? b : a));
    description =
      `Bar chart of ${bars.length} ${bars.length === 1 ? 'group' : 'groups'}` +
      (all.length > bars.length ? ` (the ${bars.length} largest of ${all.length})` : '') +
      `. Largest: ${clip(top.label)}, ${unit(top.value)}. The figures are in the table below.`;
  }

  const height = bars.length === 0 ? 40 : bars.length * ROW + PAD;
  const head = `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="${escapeXml(id)}" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" focusable="false">`;
  const named = `<title id="${titleId}">${escapeXml(options.title)}</title><desc id="${descId}">${escapeXml(description)}</desc>`;
  if (bars.length === 0) {
    return `${head}${named}<text x="0" y="25" fill="${TEXT}">No figures to show for this range.</text></svg>`;
  }

  const max = Math.max(...bars.map((b) => Math.max(0, b.value)));
  const scale = max > 0 ? (width - VALUE_SPACE) / max : 0;
  const rows = bars.map((b, i) => {
    const y = i * ROW;
    const barWidth = Math.max(0, Math.round(b.value * scale * 10) / 10);
    // A zero still shows a hairline, so the row does not look missing.
    const drawn = b.value > 0 ? Math.max(barWidth, 2) : 1;
    return (
      `<g class="app-chart__bar">` +
      `<text x="0" y="${y + 16}" fill="${TEXT}">${escapeXml(clip(b.label))}</text>` +
      `<rect x="0" y="${y + 22}" width="${drawn}" height="18" fill="#1d70b8"></rect>` +
      `<text x="${drawn + 6}" y="${y + 36}" fill="${TEXT}">${escapeXml(unit(b.value))}</text>` +
      `</g>`
    );
  });
  return `${head}${named}${rows.join('')}</svg>`;
}
