/**
 * The live highlight on the drawn graph: the nodes running now (`running`), the nodes that
 * finished with their step count (`done` and a badge), the edges the run took (`taken`). The
 * run path comes in the full model's ids; a node inside a collapsed subgraph shows on the
 * subgraph's node. Updates are coalesced: at most one repaint per animation frame, however
 * often the extension sends them. Server text is only ever textContent.
 */
import type { GraphRunPath, GraphReport } from './protocol';
import { svg, svgText } from './svg';

let current: GraphRunPath | null = null;
let root: SVGGElement | undefined;
let frame = 0;
let afterPaint: (() => void) | undefined;
let shown: Pick<GraphReport, 'running' | 'done' | 'path'> = { running: [], done: {}, path: [] };

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
export function runPathReport(): Pick<GraphReport, 'running' | 'done' | 'path'> {
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
  index = { drawing, nodes: byId('g.node[data-id]'), clusters: byId('g.cluster[data-id]'), edges, running: new Set(), clustersRunning: new Set(), done: new Map(), taken: new Set() };
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
  const taken = new Set<string>();
  if (run) {
    for (const id of run.live ? run.running : []) {
      const node = drawnAs(id);
      if (node) running.add(node);
      if (at.clusters.has(id)) clustersRunning.add(id);
    }
    for (const [id, steps] of Object.entries(run.done)) if (at.nodes.has(id) && steps >= 1) done.set(id, steps);
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
  for (const [id, steps] of at.done) {
    if (done.get(id) === steps) continue;
    const g = at.nodes.get(id)!;
    g.classList.remove('done');
    g.querySelector(':scope > .steps-badge')?.remove();
    at.done.delete(id);
  }
  for (const [id, steps] of done) {
    if (at.done.has(id)) continue;
    const g = at.nodes.get(id)!;
    g.classList.add('done');
    g.append(badge(g, steps));
    at.done.set(id, steps);
  }
  shown = {
    running: [...running].sort(),
    done: Object.fromEntries(done),
    path: [...taken].map((k) => k.replace('\n', ' -> ')),
  };
}

/** `had` becomes `want`: the class off where it goes, on where it comes. */
function swap(had: Set<string>, want: Set<string>, elements: Map<string, SVGGElement>, cls: string): void {
  for (const id of had) if (!want.has(id)) elements.get(id)?.classList.remove(cls);
  for (const id of want) if (!had.has(id)) elements.get(id)?.classList.add(cls);
  had.clear();
  for (const id of want) had.add(id);
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
