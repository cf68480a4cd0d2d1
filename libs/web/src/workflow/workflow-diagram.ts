import { ACTION_WORDS } from '../case-work/action-labels';
import { humanise } from '../renderer';
import type { GraphTransition, MachineGraph } from './machine-graph';

/**
 * The machine as server-rendered SVG: one column per stage, one box per state. Each box lists the
 * events that leave it ("ACCEPT → Advocacy"), and an arrow runs from that line to the state it
 * leads to. Every word sits inside an opaque box laid out one under another, so no two labels can
 * overlap and no arrow runs across one. WITHDRAW (possible from every open stage) and ASSIGN
 * (changing the caseworker, possible at any stage) are said once in a note under the diagram
 * rather than drawn from every box. The transitions table beside it carries everything in full.
 */
const COL_W = 220;
const BOX_W = 196;
const LINE = 14;
const TITLE_H = 26;
const PAD = 8;
const GAP = 26;
const TOP = 12;
const STAGE_HEAD = 30;
const STAGE_ORDER = ['submitted', 'triage', 'advocacy', 'negotiation', 'mediation', 'campaigning', 'resolved', 'closed', 'review'];
/** Events said in the note instead of drawn: ASSIGN only where it keeps the case where it is. */
const IN_NOTE = (t: GraphTransition) => t.event === 'WITHDRAW' || (t.event === 'ASSIGN' && (t.to === null || t.to === t.from));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const short = (path: string) => humanise(path.split('.').pop() ?? path);

/**
 * A generous guess at how wide 11 px text is (capitals and underscores are the widest), so that a
 * line that might not fit its box is wrapped rather than left to spill over its neighbour.
 */
export function textWidth(text: string, size = 11): number {
  let w = 0;
  for (const ch of text) w += /[A-Z_0-9]/.test(ch) ? 0.72 : ch === ' ' ? 0.3 : /[il.,:;'’]/.test(ch) ? 0.3 : /[mw→]/.test(ch) ? 0.9 : 0.56;
  return w * size;
}

interface Line {
  text: string;
  /** The transition this line is the start of, when it moves the case. */
  move?: GraphTransition;
}

interface Box {
  x: number;
  y: number;
  h: number;
  col: number;
  title: string;
  lines: Line[];
  kind: 'state' | 'stageWide';
}

/** "Advocacy: reviewing" for a state of another stage, "Reviewing" for one of the same stage. */
function targetName(from: string, to: string): string {
  const [fromStage] = from.split('.');
  const [toStage, leaf] = to.split('.');
  if (!leaf) return humanise(toStage);
  return fromStage === toStage ? short(to) : `${humanise(toStage)}: ${humanise(leaf).toLowerCase()}`;
}

/** One transition as one or two lines that fit the box: "EVENT → Target", wrapped after the event when too long. */
function linesFor(t: GraphTransition): Line[] {
  const stays = t.to === null || t.to === t.from;
  const whole = stays ? `${t.event}, stays here` : `${t.event} → ${targetName(t.from, t.to!)}`;
  if (textWidth(whole) <= BOX_W - 2 * PAD) return [{ text: whole, move: stays ? undefined : t }];
  const rest = stays ? '  stays here' : `  → ${targetName(t.from, t.to!)}`;
  return [{ text: t.event, move: stays ? undefined : t }, { text: rest }];
}

export function workflowSvg(graph: MachineGraph, options: { currentState?: string; idPrefix?: string } = {}): string {
  const prefix = options.idPrefix ?? 'workflow';
  const stages = [...graph.stages].sort((a, b) => order(a.name) - order(b.name));
  const drawn = graph.transitions.filter((t) => !IN_NOTE(t));
  const from = (path: string) => drawn.filter((t) => t.from === path).flatMap(linesFor);

  const boxes = new Map<string, Box>();
  const stageBoxes = new Map<string, { x: number; y: number; h: number; col: number }>();
  let height = 0;
  stages.forEach((stage, col) => {
    const x = col * COL_W + 6;
    let y = TOP + STAGE_HEAD;
    const place = (key: string, title: string, lines: Line[], kind: Box['kind']) => {
      const h = TITLE_H + lines.length * LINE + (lines.length ? 6 : 0);
      boxes.set(key, { x: x + 6, y, h, col, title, lines, kind });
      y += h + GAP;
    };
    for (const state of stage.states) place(state, short(state), from(state), 'state');
    // Events the whole stage answers, whichever of its states the case is in.
    const wide = stage.states.length > 1 ? from(stage.name) : [];
    if (wide.length) place(`wide:${stage.name}`, `From any ${humanise(stage.name).toLowerCase()} state`, wide, 'stageWide');
    const h = y - GAP + 10 - TOP;
    stageBoxes.set(stage.name, { x, y: TOP, h, col });
    height = Math.max(height, TOP + h);
  });
  const width = stages.length * COL_W + 6;
  height += 14;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-workflow-svg" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title id="${prefix}-title">The breach case process${options.currentState ? `, with this case at ${esc(humanise(options.currentState))}` : ''}</title>`,
    `<desc id="${prefix}-desc">${stages.length} stages drawn as columns from left to right (${stages.map((s) => esc(humanise(s.name))).join(', ')}), each state a box listing the events that leave it, with an arrow to where each leads. The same transitions are listed in the table that follows.</desc>`,
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#505a5f"/></marker></defs>`,
  );
  for (const stage of stages) {
    const b = stageBoxes.get(stage.name)!;
    out.push(`<rect class="app-wf-stage" x="${b.x}" y="${b.y}" width="${COL_W - 12}" height="${b.h}" rx="6" fill="#f3f2f1" stroke="#b1b4b6"/>`);
  }
  // Arrows first, under the boxes: they may pass beneath a box, never across its words.
  for (const box of boxes.values()) {
    box.lines.forEach((line, i) => {
      if (!line.move) return;
      const target = boxes.get(line.move.to!) ?? boxes.get(line.move.to!.split('.')[0]);
      const stageTarget = target ? undefined : stageBoxes.get(line.move.to!);
      const ly = box.y + TITLE_H + i * LINE + 6;
      let d: string;
      if (target && target.col > box.col) {
        const x1 = box.x + BOX_W, x2 = target.x, y2 = target.y + 15, mx = (x1 + x2) / 2;
        d = `M${x1},${ly} C${mx},${ly} ${mx},${y2} ${x2},${y2}`;
      } else if (target && target.col < box.col) {
        const x1 = box.x, x2 = target.x + BOX_W, y2 = target.y + 15, mx = (x1 + x2) / 2;
        d = `M${x1},${ly} C${mx},${ly} ${mx},${y2} ${x2},${y2}`;
      } else if (target) {
        // Within a column: out of the right edge and back in, beside the boxes.
        const x1 = box.x + BOX_W, x2 = target.x + BOX_W, y2 = target.y + 15, bulge = x1 + 8 + (i % 2) * 2;
        d = `M${x1},${ly} C${bulge},${ly} ${bulge},${y2} ${x2},${y2}`;
      } else if (stageTarget) {
        const x1 = box.col < stageTarget.col ? box.x + BOX_W : box.x, x2 = box.col < stageTarget.col ? stageTarget.x : stageTarget.x + COL_W - 12, y2 = stageTarget.y + 15, mx = (x1 + x2) / 2;
        d = `M${x1},${ly} C${mx},${ly} ${mx},${y2} ${x2},${y2}`;
      } else return;
      out.push(`<path d="${d}" fill="none" stroke="#505a5f" stroke-width="1.5" marker-end="url(#${prefix}-arrow)"/>`);
    });
  }
  // Stage names over the arrows, haloed in the column's colour so a passing arrow never crosses them.
  for (const stage of stages) {
    const b = stageBoxes.get(stage.name)!;
    out.push(`<text x="${b.x + 10}" y="${b.y + 20}" font-weight="bold" font-size="15" fill="#0b0c0c" stroke="#f3f2f1" stroke-width="5" paint-order="stroke">${esc(humanise(stage.name))}</text>`);
  }
  for (const [key, box] of boxes) {
    const current = key === options.currentState;
    const attrs = box.kind === 'state' ? ` data-state="${esc(key)}"` : '';
    out.push(
      `<g class="app-wf-state${current ? ' app-wf-state--current' : ''}${box.kind === 'stageWide' ? ' app-wf-stage-wide' : ''}"${attrs}><rect x="${box.x}" y="${box.y}" width="${BOX_W}" height="${box.h}" rx="4" fill="${current ? '#ffdd00' : '#ffffff'}" stroke="${current ? '#0b0c0c' : box.kind === 'stageWide' ? '#505a5f' : '#1d70b8'}" stroke-width="${current ? 4 : 2}"${box.kind === 'stageWide' ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${box.x + PAD}" y="${box.y + 18}" font-size="13" fill="#0b0c0c"${current || box.kind === 'stageWide' ? ' font-weight="bold"' : ''}>${esc(box.title)}${current ? ' (current)' : ''}</text>`,
    );
    box.lines.forEach((line, i) => out.push(`<text x="${box.x + PAD}" y="${box.y + TITLE_H + i * LINE + 10}" font-size="11" fill="#0b0c0c" xml:space="preserve">${esc(line.text)}</text>`));
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Said under the diagram instead of drawn from every box (see IN_NOTE). */
export function diagramNote(graph: MachineGraph): string | null {
  const withdraw = graph.transitions.some((t) => t.event === 'WITHDRAW');
  const assign = graph.transitions.some((t) => t.event === 'ASSIGN' && (t.to === null || t.to === t.from));
  const parts = [
    withdraw ? 'WITHDRAW (the reporter, or a caseworker for them) closes the case from every open stage' : '',
    assign ? 'ASSIGN changes the caseworker at any stage after submission' : '',
  ].filter(Boolean);
  return parts.length ? `Not drawn, to keep the diagram readable: ${parts.join('; ')}. Both are in the table.` : null;
}

function order(stage: string): number {
  const i = STAGE_ORDER.indexOf(stage);
  return i === -1 ? STAGE_ORDER.length : i;
}

/** Who sends an event, as the table says it: the respondent is the public body. */
const WHO_WORDS: Readonly<Record<string, string>> = {
  respondent: 'Public body',
  system: 'System (a clock running out)',
};

/**
 * What an event does, in words, where the action forms have none: the clock's events, and
 * version 2's steps until their forms name them.
 */
const EVENT_WORDS: Readonly<Record<string, string>> = {
  INFORMATION_OVERDUE: 'The reporter did not answer in time',
  RESPONSE_OVERDUE: 'The public body did not reply in time',
  FEE_AGREEMENT_OVERDUE: 'The fee was not agreed or paid in time',
  REQUEST_EXTENSION: 'Ask for more time to reply',
  GRANT_EXTENSION: 'Give the public body more time',
  REFUSE_EXTENSION: 'Refuse more time',
  REPORT_FEE_PAID: 'Say a share of the fee is paid',
  PROPOSE_SESSION_TIMES: 'Suggest times for the session',
  REPORT_ACTIONS_DONE: 'Report the agreed actions done',
  REQUEST_REVIEW: 'Ask for a review of the rejection',
  UPHOLD_REJECTION: 'Uphold the rejection',
  REOPEN_AFTER_REVIEW: 'Reopen the case after the review',
};

export const eventWords = (event: string): string => ACTION_WORDS[event]?.title ?? EVENT_WORDS[event] ?? humanise(event);

/** The transitions as table rows, in plain words. */
export function transitionRows(graph: MachineGraph) {
  return graph.transitions.map((t) => ({
    from: humanise(t.from),
    fromPath: t.from,
    event: t.event,
    action: eventWords(t.event),
    to: t.to ? humanise(t.to) : '(stays)',
    condition: t.guards.length ? t.guards.map(humanise).join('; ') : '',
    who: t.who.map((w) => WHO_WORDS[w] ?? humanise(w)).join(', '),
  }));
}
