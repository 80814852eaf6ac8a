/**
 * Breakpoints on the graph page: each node's margin (a gutter left of it: the upper dot pauses
 * before the node, the lower one after), the list of those set (each removable, Clear all), and
 * where a run stopped at one (Continue, Step). A node the servers cannot pause at gets a dimmed
 * margin whose tooltip says why, never a dot that would do nothing. The extension keeps the
 * breakpoints; the page shows what it is sent and posts the clicks.
 */
import { asToggle } from './draw';
import { breakpointSupport, breakpointsText, type Breakpoint, type BreakpointWhen, type GraphNode, type GraphPause, type GraphReport } from './protocol';
import { html, htmlButton, svg, tooltip } from './svg';
import { post } from './vscodeApi';

const GUTTER = 7;
const DOT_R = 4.5;
const WHEN: readonly BreakpointWhen[] = ['before', 'after'];

let breakpoints: Breakpoint[] = [];
let pause: GraphPause | null = null;
let bar: HTMLElement | undefined;
let root: SVGGElement | undefined;

const words = (b: Breakpoint) => breakpointsText([b]);

/** The breakpoints and the stop as last sent; `refresh` shows them. */
export function setBreakpoints(list: Breakpoint[]): void {
  breakpoints = list;
}

export function setPause(p: GraphPause | null): void {
  pause = p;
}

/** The margin of one drawn node (`box` its rectangle). Returns why it has none, for its tooltip. */
export function addMargin(g: SVGGElement, node: GraphNode, box: { left: number; top: number; height: number }): string | undefined {
  const support = breakpointSupport(node.id);
  const x = box.left - GUTTER;
  if (!support.ok) {
    // Only for nodes a user would try: the start and end say so in their own tooltip.
    if (support.reason === 'subgraph') {
      g.append(svg('g', { class: 'bp-none', 'data-why': support.message }, [svg('line', { x1: x, y1: box.top + 6, x2: x, y2: box.top + box.height - 6 }), tooltip(support.message)]));
    }
    g.setAttribute('data-no-breakpoint', support.message);
    return support.message;
  }
  WHEN.forEach((when, i) => {
    const y = i === 0 ? box.top + 9 : box.top + box.height - 9;
    const dot = svg('g', { class: `bp bp-${when}`, 'data-node': node.id, 'data-when': when }, [svg('circle', { cx: x, cy: y, r: DOT_R }), tooltip('')]);
    asToggle(dot, '', () => post({ type: 'toggleBreakpoint', node: node.id, when }));
    g.append(dot);
  });
  return undefined;
}

/** Marks and the list as they now are (no new layout), and the stop. */
export function refresh(drawing: SVGGElement | undefined, barBox: HTMLElement | undefined): void {
  root = drawing ?? root;
  bar = barBox ?? bar;
  const set = new Set(breakpoints.map(words));
  const next = new Set(pause?.next ?? []);
  for (const dot of Array.from(root?.querySelectorAll<SVGGElement>('.bp') ?? [])) {
    const b = { node: dot.getAttribute('data-node') ?? '', when: dot.getAttribute('data-when') as BreakpointWhen };
    const on = set.has(words(b));
    dot.classList.toggle('on', on);
    dot.setAttribute('aria-pressed', String(on));
    const label = `${on ? 'Remove the pause' : 'Pause'} ${b.when} ${b.node}`;
    dot.setAttribute('aria-label', label);
    dot.querySelector('title')!.textContent = label;
  }
  for (const node of Array.from(root?.querySelectorAll<SVGGElement>('.node[data-id]') ?? [])) node.classList.toggle('paused-here', next.has(node.getAttribute('data-id') ?? ''));
  if (bar) bar.replaceChildren(...pauseRow(), listRow());
}

/** For the page's report. */
export function breakpointReport(): Pick<GraphReport, 'breakpoints' | 'marks' | 'noBreakpoint' | 'paused'> {
  const marks = Array.from(root?.querySelectorAll('.bp.on') ?? []).map((d) => `${d.getAttribute('data-when')} ${d.getAttribute('data-node')}`);
  const noBreakpoint = Array.from(root?.querySelectorAll('.node[data-no-breakpoint]') ?? []).map((n) => ({ node: n.getAttribute('data-id') ?? '', why: n.getAttribute('data-no-breakpoint') ?? '' }));
  return { breakpoints: breakpoints.map(words), marks, noBreakpoint, paused: bar?.querySelector('.bp-paused .bp-where')?.textContent ?? '' };
}

function pauseRow(): HTMLElement[] {
  if (!pause) return [];
  const p = pause;
  const act = (step: boolean) => post({ type: 'continue', threadId: p.threadId, step });
  const cont = htmlButton('Continue', () => act(false), { title: 'Run on from here (a run with no input on this thread)' });
  const step = htmlButton('Step Over Next Node', () => act(true), { class: 'secondary', title: `Run ${p.next.join(', ')} and pause after it` });
  cont.disabled = step.disabled = Boolean(p.busy);
  return [
    html('div', { class: 'bp-paused', title: 'The run ended at a breakpoint; the thread waits' }, [
      html('span', { class: 'bp-where', text: `Paused: thread ${p.threadLabel} ${p.after.length ? `after ${p.after.join(', ')}, ` : ''}before ${p.next.join(', ')}` }),
      cont,
      step,
      p.error ? html('span', { class: 'error-text', text: p.error }) : null,
    ]),
  ];
}

function listRow(): HTMLElement {
  if (!breakpoints.length) {
    return html('div', { class: 'bp-list muted', text: 'No breakpoints. A node\u2019s left margin sets one: its upper dot pauses before the node, the lower dot after.' });
  }
  const items = breakpoints.map((b) =>
    html('span', { class: 'bp-item' }, [
      html('span', { class: 'bp-dot', text: '●' }),
      html('span', { text: ` ${words(b)} ` }),
      htmlButton('×', () => post({ type: 'toggleBreakpoint', node: b.node, when: b.when }), { class: 'secondary icon small', title: `Remove the pause ${words(b)}` }),
    ]),
  );
  return html('div', { class: 'bp-list' }, [
    html('span', { class: 'bp-heading', text: 'Breakpoints:' }),
    ...items,
    htmlButton('Clear all', () => post({ type: 'clearBreakpoints' }), { class: 'secondary small', title: 'Remove every breakpoint of this assistant' }),
  ]);
}
