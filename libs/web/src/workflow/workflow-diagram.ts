import { humanise } from '../renderer';
import type { GraphTransition, MachineGraph } from './machine-graph';

/**
 * The machine as server-rendered SVG: one column per stage, one box per state, arrows for
 * transitions that move the case (labelled with their events). Events that keep a case where it
 * is are written inside the box; WITHDRAW, possible from every open stage, is said once in a note
 * rather than drawn eight times. The transitions table beside it carries everything in full.
 */
const COL_W = 200;
const BOX_W = 164;
const BOX_H = 40;
const GAP = 70;
const TOP = 60;
const STAGE_ORDER = ['submitted', 'triage', 'advocacy', 'negotiation', 'mediation', 'campaigning', 'resolved', 'closed'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const short = (path: string) => humanise(path.split('.').pop() ?? path);

interface Box {
  x: number;
  y: number;
  h: number;
  col: number;
}

export function workflowSvg(graph: MachineGraph, options: { currentState?: string; idPrefix?: string } = {}): string {
  const prefix = options.idPrefix ?? 'workflow';
  const stages = [...graph.stages].sort((a, b) => order(a.name) - order(b.name));
  const stays = new Map<string, string[]>();
  for (const t of graph.transitions) {
    if (t.to === null || t.to === t.from) stays.set(t.from, [...(stays.get(t.from) ?? []), t.event]);
  }
  const boxes = new Map<string, Box>();
  let height = 0;
  stages.forEach((stage, col) => {
    let y = TOP + 30;
    const stageStays = stage.states.length > 1 ? (stays.get(stage.name) ?? []) : [];
    for (const state of stage.states) {
      const lines = (stays.get(state) ?? []).length;
      const h = BOX_H + lines * 14;
      boxes.set(state, { x: col * COL_W + 18, y, h, col });
      y += h + GAP;
    }
    const stageBox = { x: col * COL_W + 8, y: TOP, h: y - TOP - GAP + 12 + stageStays.length * 14, col };
    boxes.set(`stage:${stage.name}`, stageBox);
    height = Math.max(height, stageBox.y + stageBox.h);
  });
  const width = stages.length * COL_W + 10;
  height += 120;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-workflow-svg" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title id="${prefix}-title">The breach case process${options.currentState ? `, with this case at ${esc(humanise(options.currentState))}` : ''}</title>`,
    `<desc id="${prefix}-desc">${stages.length} stages drawn as columns from left to right (${stages.map((s) => esc(humanise(s.name))).join(', ')}), each state a box, and arrows for the events that move a case between states. The same transitions are listed in the table that follows.</desc>`,
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#505a5f"/></marker></defs>`,
  );
  // Stage columns, with the stage-wide events that keep the case in the stage.
  stages.forEach((stage) => {
    const b = boxes.get(`stage:${stage.name}`)!;
    out.push(`<g class="app-wf-stage"><rect x="${b.x}" y="${b.y}" width="${COL_W - 16}" height="${b.h}" rx="6" fill="#f3f2f1" stroke="#b1b4b6"/>`);
    out.push(`<text x="${b.x + 10}" y="${b.y + 20}" font-weight="bold" font-size="15">${esc(humanise(stage.name))}</text></g>`);
    if (stage.states.length > 1) {
      const extra = (stays.get(stage.name) ?? []).filter((e) => e !== 'ASSIGN');
      extra.forEach((e, i) => out.push(`<text x="${b.x + 10}" y="${b.y + b.h - 6 - (extra.length - 1 - i) * 14}" font-size="11" fill="#505a5f">also: ${esc(e)}</text>`));
    }
  });
  // Arrows first, so boxes and labels sit on top.
  const moves = graph.transitions.filter((t) => t.to !== null && t.to !== t.from && t.event !== 'WITHDRAW');
  const grouped = new Map<string, GraphTransition[]>();
  for (const t of moves) grouped.set(`${t.from}>${t.to}`, [...(grouped.get(`${t.from}>${t.to}`) ?? []), t]);
  const labels: string[] = [];
  let n = 0;
  for (const [key, ts] of grouped) {
    const [from, to] = key.split('>');
    const a = boxes.get(from) ?? boxes.get(`stage:${from}`);
    const b = boxes.get(to!) ?? boxes.get(`stage:${to}`);
    if (!a || !b) continue;
    n++;
    const label = ts.map((t) => t.event).join(' / ');
    let d: string;
    let lx: number;
    let ly: number;
    if (b.col > a.col) {
      const x1 = a.x + BOX_W, y1 = a.y + Math.min(a.h, BOX_H) / 2, x2 = b.x, y2 = b.y + Math.min(b.h, BOX_H) / 2;
      const mx = (x1 + x2) / 2;
      d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
      lx = x1 + 6;
      ly = y1 - 4 - ((n % 3) * 12);
    } else if (b.col < a.col) {
      const x1 = a.x + BOX_W / 2, y1 = a.y + a.h, x2 = b.x + BOX_W / 2, y2 = b.y + b.h;
      const dip = height - 100 + (n % 4) * 18;
      d = `M${x1},${y1} C${x1},${dip} ${x2},${dip} ${x2},${y2}`;
      lx = (x1 + x2) / 2 - 40;
      ly = dip - 14 - (n % 2) * 6;
    } else {
      const x1 = a.x, y1 = a.y + Math.min(a.h, BOX_H) / 2, x2 = b.x, y2 = b.y + Math.min(b.h, BOX_H) / 2;
      const bulge = a.x - 14 - (n % 2) * 0;
      d = `M${x1},${y1} C${bulge},${y1} ${bulge},${y2} ${x2},${y2}`;
      lx = a.x + 4;
      ly = (y1 + y2) / 2 + 4;
    }
    out.push(`<path d="${d}" fill="none" stroke="#505a5f" stroke-width="1.5" marker-end="url(#${prefix}-arrow)"/>`);
    labels.push(`<text x="${lx}" y="${ly}" font-size="11" fill="#0b0c0c" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(label)}</text>`);
  }
  for (const state of graph.states) {
    const b = boxes.get(state)!;
    const current = state === options.currentState;
    out.push(
      `<g class="app-wf-state${current ? ' app-wf-state--current' : ''}" data-state="${esc(state)}"><rect x="${b.x}" y="${b.y}" width="${BOX_W}" height="${b.h}" rx="4" fill="${current ? '#ffdd00' : '#ffffff'}" stroke="${current ? '#0b0c0c' : '#1d70b8'}" stroke-width="${current ? 4 : 2}"/>`,
      `<text x="${b.x + 8}" y="${b.y + 24}" font-size="13"${current ? ' font-weight="bold"' : ''}>${esc(short(state))}${current ? ' (current)' : ''}</text>`,
    );
    (stays.get(state) ?? []).forEach((e, i) => out.push(`<text x="${b.x + 8}" y="${b.y + BOX_H + i * 14 - 2}" font-size="11" fill="#505a5f">also: ${esc(e)}</text>`));
    out.push('</g>');
  }
  out.push(...labels);
  const withdraw = graph.transitions.some((t) => t.event === 'WITHDRAW');
  if (withdraw) out.push(`<text x="10" y="${height - 10}" font-size="12" fill="#505a5f">WITHDRAW (reporter, or a caseworker for them) closes the case from every open stage; ASSIGN changes the caseworker at any stage. Both are in the table.</text>`);
  out.push('</svg>');
  return out.join('\n');
}

function order(stage: string): number {
  const i = STAGE_ORDER.indexOf(stage);
  return i === -1 ? STAGE_ORDER.length : i;
}

/** The transitions as table rows, in plain words. */
export function transitionRows(graph: MachineGraph) {
  return graph.transitions.map((t) => ({
    from: humanise(t.from),
    fromPath: t.from,
    event: t.event,
    to: t.to ? humanise(t.to) : '(stays)',
    condition: t.guards.length ? t.guards.map(humanise).join('; ') : '',
    who: t.who.map(humanise).join(', '),
  }));
}
