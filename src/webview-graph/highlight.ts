/**
 * The live highlight on the drawn graph: the nodes running now (`running`), the nodes that
 * finished with their step count (`done` and a badge), the nodes whose task failed (`failed`, a
 * mark whose tooltip holds the error's words), the edges the run took (`taken`). The
 * run path comes in the full model's ids; a node inside a collapsed subgraph shows on the
 * subgraph's node. Updates are coalesced: at most one repaint per animation frame, however
 * often the extension sends them. Server text is only ever textContent.
 */
import type { GraphRunPath, GraphReport } from './protocol';
import { runLineText } from './runLine';
import { svg, svgText, tooltip } from './svg';

let current: GraphRunPath | null = null;
let root: SVGGElement | undefined;
let frame = 0;
let afterPaint: (() => void) | undefined;
type Shown = Pick<GraphReport, 'running' | 'done' | 'path' | 'failed' | 'runLine'>;
let shown: Shown = { running: [], done: {}, path: [], failed: {}, runLine: '' };

/** A new run path: painted on the next animation frame (later ones before it replace it), then `after`. */
export function setRunPath(runPath: GraphRunPath | null, after: () => void): void {
  current = runPath;
  afterPaint = after;
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    if (root?.isConnected) paint(root);
    afterPaint?.();
  });
}

/** Paints the run path on a drawing just made (at once: it is part of that drawing's frame). */
export function paintRunPath(drawing: SVGGElement): void {
  root = drawing;
  paint(drawing);
}

/** What is shown, for the page's report. */
export function runPathReport(): Shown {
  return shown;
}

/** The drawing's nodes, subgraph boxes and edges by id (read once per drawing), and what is applied to it. */
let index:
  | {
      drawing: SVGGElement;
      nodes: Map<string, SVGGElement>;
      clusters: Map<string, SVGGElement>;
      edges: Map<string, SVGGElement>;
      running: Set<string>;
      clustersRunning: Set<string>;
      done: Map<string, number>;
      failed: Map<string, string>;
      taken: Set<string>;
    }
  | undefined;

function indexOf(drawing: SVGGElement): NonNullable<typeof index> {
  if (index?.drawing === drawing && index.nodes.values().next().value?.isConnected) return index;
  const byId = (selector: string) => {
    const out = new Map<string, SVGGElement>();
    drawing.querySelectorAll<SVGGElement>(selector).forEach((g) => out.set(g.dataset.id!, g));
    return out;
  };
  const edges = new Map<string, SVGGElement>();
  drawing.querySelectorAll<SVGGElement>('g.edge').forEach((g) => edges.set(`${g.dataset.source}\n${g.dataset.target}`, g));
  // A drawing made afresh carries no highlight yet.
  index = { drawing, nodes: byId('g.node[data-id]'), clusters: byId('g.cluster[data-id]'), edges, running: new Set(), clustersRunning: new Set(), done: new Map(), failed: new Map(), taken: new Set() };
  return index;
}

/** Changes only what differs from what the drawing shows (a run's update touches a few nodes). */
function paint(drawing: SVGGElement): void {
  const at = indexOf(drawing);
  const run = current;
  // The node drawn for an id: itself, else the outermost collapsed subgraph it is in.
  const drawnAs = (id: string): string | undefined => {
    if (at.nodes.has(id)) return id;
    const parts = id.split(':');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join(':');
      if (at.nodes.has(prefix)) return prefix;
    }
    return undefined;
  };
  const running = new Set<string>();
  const clustersRunning = new Set<string>();
  const done = new Map<string, number>();
  const failed = new Map<string, string>();
  const taken = new Set<string>();
  if (run) {
    for (const id of run.live ? run.running : []) {
      const node = drawnAs(id);
      if (node) running.add(node);
      if (at.clusters.has(id)) clustersRunning.add(id);
    }
    for (const [id, steps] of Object.entries(run.done)) if (at.nodes.has(id) && steps >= 1) done.set(id, steps);
    for (const [id, words] of Object.entries(run.failed ?? {})) {
      const node = drawnAs(id);
      // A collapsed subgraph shows the first of its nodes that failed.
      if (node && !failed.has(node)) failed.set(node, node === id ? words : `${id}: ${words}`);
    }
    for (const e of run.path) {
      const source = drawnAs(e.source);
      const target = drawnAs(e.target);
      const key = `${source}\n${target}`;
      if (source && target && source !== target && at.edges.has(key)) taken.add(key);
    }
  }
  swap(at.running, running, at.nodes, 'running');
  swap(at.clustersRunning, clustersRunning, at.clusters, 'running');
  swap(at.taken, taken, at.edges, 'taken');
  swapMarks(at.done, done, at.nodes, 'done', 'steps-badge', badge);
  swapMarks(at.failed, failed, at.nodes, 'failed', 'failed-mark', failedMark);
  shown = {
    running: [...running].sort(),
    done: Object.fromEntries(done),
    path: [...taken].map((k) => k.replace('\n', ' -> ')),
    failed: Object.fromEntries(failed),
    runLine: runLineText(run),
  };
  const line = document.querySelector<HTMLElement>('.run-line');
  if (line) {
    line.textContent = shown.runLine;
    line.classList.toggle('failed', failed.size > 0);
    line.hidden = !shown.runLine;
  }
}

/** `had` becomes `want`: the class off where it goes, on where it comes. */
function swap(had: Set<string>, want: Set<string>, elements: Map<string, SVGGElement>, cls: string): void {
  for (const id of had) if (!want.has(id)) elements.get(id)?.classList.remove(cls);
  for (const id of want) if (!had.has(id)) elements.get(id)?.classList.add(cls);
  had.clear();
  for (const id of want) had.add(id);
}

/** `had` becomes `want` for a mark that carries a value (a badge): a node whose value changed gets its mark again. */
function swapMarks<T>(had: Map<string, T>, want: Map<string, T>, nodes: Map<string, SVGGElement>, cls: string, markClass: string, mark: (node: SVGGElement, value: T) => SVGGElement): void {
  for (const [id, value] of had) {
    if (want.get(id) === value) continue;
    const g = nodes.get(id)!;
    g.classList.remove(cls);
    g.querySelector(`:scope > .${markClass}`)?.remove();
    had.delete(id);
  }
  for (const [id, value] of want) {
    if (had.has(id)) continue;
    const g = nodes.get(id)!;
    g.classList.add(cls);
    g.append(mark(g, value));
    had.set(id, value);
  }
}

/** A cross at the node's top left corner; its tooltip is the error (server text, as text only). */
function failedMark(node: SVGGElement, words: string): SVGGElement {
  const box = node.querySelector('rect');
  const left = Number(box?.getAttribute('x') ?? 0);
  const top = Number(box?.getAttribute('y') ?? 0);
  return svg('g', { class: 'failed-mark', role: 'img', 'aria-label': `Failed: ${words}` }, [
    tooltip(`Failed: ${words}`),
    svg('circle', { cx: left, cy: top, r: 8 }),
    svgText('\u2715', { x: left, y: top, 'text-anchor': 'middle', 'dominant-baseline': 'central' }),
  ]);
}

/** The step count at the node's top right corner. */
function badge(node: SVGGElement, steps: number): SVGGElement {
  const box = node.querySelector('rect');
  const right = Number(box?.getAttribute('x') ?? 0) + Number(box?.getAttribute('width') ?? 0);
  const top = Number(box?.getAttribute('y') ?? 0);
  const text = String(steps);
  const width = 10 + 7 * text.length;
  return svg('g', { class: 'steps-badge', 'aria-label': `${steps} step${steps === 1 ? '' : 's'} done` }, [
    svg('rect', { x: right - width / 2, y: top - 8, width, height: 16, rx: 8, ry: 8 }),
    svgText(text, { x: right, y: top, 'text-anchor': 'middle', 'dominant-baseline': 'central' }),
  ]);
}
