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

function paint(drawing: SVGGElement): void {
  const nodes = new Map<string, SVGGElement>();
  drawing.querySelectorAll<SVGGElement>('g.node[data-id]').forEach((g) => nodes.set(g.dataset.id!, g));
  const clusters = new Map<string, SVGGElement>();
  drawing.querySelectorAll<SVGGElement>('g.cluster[data-id]').forEach((g) => clusters.set(g.dataset.id!, g));
  drawing.querySelectorAll('.running, .done, .taken').forEach((g) => g.classList.remove('running', 'done', 'taken'));
  drawing.querySelectorAll('.steps-badge').forEach((badge) => badge.remove());
  const run = current;
  if (!run) {
    shown = { running: [], done: {}, path: [] };
    return;
  }
  // The node drawn for an id: itself, else the outermost collapsed subgraph it is in.
  const drawnAs = (id: string): string | undefined => {
    if (nodes.has(id)) return id;
    const parts = id.split(':');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join(':');
      if (nodes.has(prefix)) return prefix;
    }
    return undefined;
  };
  const running = new Set<string>();
  if (run.live) {
    for (const id of run.running) {
      const at = drawnAs(id);
      if (at) running.add(at);
      clusters.get(id)?.classList.add('running');
    }
  }
  for (const id of running) nodes.get(id)!.classList.add('running');
  const done: Record<string, number> = {};
  for (const [id, steps] of Object.entries(run.done)) {
    const g = nodes.get(id);
    if (!g || steps < 1) continue;
    done[id] = steps;
    g.classList.add('done');
    g.append(badge(g, steps));
  }
  const path: string[] = [];
  for (const e of run.path) {
    const source = drawnAs(e.source);
    const target = drawnAs(e.target);
    if (!source || !target || source === target) continue;
    const edge = drawing.querySelector(`g.edge[data-source="${CSS.escape(source)}"][data-target="${CSS.escape(target)}"]`);
    if (!edge || edge.classList.contains('taken')) continue;
    edge.classList.add('taken');
    path.push(`${source} -> ${target}`);
  }
  shown = { running: [...running].sort(), done, path };
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
