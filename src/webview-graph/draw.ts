/**
 * The graph as SVG: expanded subgraphs as boxes (their heading collapses them), nodes (start and
 * end as pills, a subgraph drawn as one node with a double border and, when it can expand, a
 * toggle), edges as curves with an arrow, conditional ones dashed. Text from the server is only
 * ever textContent.
 */
import { CLUSTER_HEAD, layoutGraph, type Layout, type Size } from './layout';
import { breakpointSupport, type GraphHeading, type GraphModel, type GraphNode } from './protocol';
import { svg, svgText, tooltip } from './svg';

const NODE_HEIGHT = 34;
const PAD_X = 16;
const MIN_WIDTH = 64;
const TOGGLE_ROOM = 18;

export interface Drawing {
  layout: Layout;
  width: number;
  height: number;
}

/** How a subgraph drawn as one node shows: it can expand, or the server sent nothing inside it. */
export type SubgraphState = 'expandable' | 'opaque';

export interface DrawInput {
  model: GraphModel;
  /** Expanded subgraphs drawn as boxes. */
  clusters: string[];
  /** For each subgraph node drawn as one node. */
  subgraphState: (id: string) => SubgraphState | undefined;
  toggle: (id: string, expand: boolean) => void;
  /** Draws a node's margin (breakpoints); returns why it has none, for the node's tooltip. */
  margin?: (g: SVGGElement, node: GraphNode, box: { left: number; top: number; height: number }) => string | undefined;
  /** Whose graph it is: each node (not start or end) gets the node menu's context (see nodeMenuContext). */
  menu?: Pick<GraphHeading, 'deploymentUrl' | 'assistantId'>;
}

/**
 * What VS Code's webview context menu gets on a right-click of the node (data-vscode-context):
 * its `when` clauses read `webviewSection` and `canPause` (package.json webview/context), and the
 * chosen command gets the whole object (plus `webview`) as its argument, the shape
 * langgraph.goToNodeDefinition and the breakpoint commands take.
 */
export function nodeMenuContext(node: GraphNode, scope: NonNullable<DrawInput['menu']>): Record<string, string | boolean> {
  return {
    webviewSection: 'node',
    node: node.id,
    deploymentUrl: scope.deploymentUrl,
    assistantId: scope.assistantId,
    canPause: breakpointSupport(node.id).ok,
    // Cut, Copy and Paste mean nothing on a node.
    preventDefaultContextMenuItems: true,
  };
}

/** Fills `root` (emptied first) with the drawing; `measure` is an SVG group in the page, for text widths. */
export function drawGraph(root: SVGGElement, measure: SVGGElement, input: DrawInput): Drawing {
  const { model } = input;
  const widths = measureTexts(measure, [...model.nodes.map((n) => n.label), ...model.edges.flatMap((e) => (e.label ? [e.label] : []))], 'node-label');
  const size = (id: string): Size => {
    const node = model.nodes.find((n) => n.id === id)!;
    const extra = input.subgraphState(id) === 'expandable' ? TOGGLE_ROOM : 0;
    return { width: Math.max(MIN_WIDTH, Math.ceil(widths.get(node.label)! + 2 * PAD_X + extra)), height: NODE_HEIGHT };
  };
  const layout = layoutGraph(model, input.clusters, size, (text) => ({ width: Math.ceil(widths.get(text)! + 8), height: 18 }));

  root.replaceChildren();
  const clusters = svg('g', { class: 'clusters' });
  for (const box of layout.clusters) clusters.append(clusterBox(box, model, input.toggle));
  const edges = svg('g', { class: 'edges' });
  model.edges.forEach((edge, i) => {
    const placed = layout.edges[i]!;
    const g = svg('g', { class: `edge${edge.conditional ? ' conditional' : ''}`, 'data-source': edge.source, 'data-target': edge.target }, [
      svg('path', { d: pathOf(placed.points), 'marker-end': 'url(#arrow)' }),
      tooltip(`${edge.source} → ${edge.target}${edge.conditional ? ' (conditional)' : ''}`),
    ]);
    if (edge.label && placed.label) g.append(svgText(edge.label, { class: 'edge-label', x: placed.label.x, y: placed.label.y, 'text-anchor': 'middle', 'dominant-baseline': 'central' }));
    edges.append(g);
  });
  const nodes = svg('g', { class: 'nodes' });
  for (const node of model.nodes) nodes.append(nodeBox(node, layout, input));
  root.append(clusters, edges, nodes);
  return { layout, width: layout.width, height: layout.height };
}

function nodeBox(node: GraphNode, layout: Layout, input: DrawInput): SVGGElement {
  const p = layout.nodes.get(node.id)!;
  const left = p.x - p.width / 2;
  const top = p.y - p.height / 2;
  const state = input.subgraphState(node.id);
  const g = svg('g', { class: `node kind-${node.kind}${state ? ` subgraph ${state}` : ''}`, 'data-id': node.id });
  if (node.kind === 'node' && input.menu) g.setAttribute('data-vscode-context', JSON.stringify(nodeMenuContext(node, input.menu)));
  const radius = node.kind === 'node' ? 6 : p.height / 2;
  g.append(svg('rect', { x: left, y: top, width: p.width, height: p.height, rx: radius, ry: radius }));
  if (state) g.append(svg('rect', { class: 'inner', x: left + 3, y: top + 3, width: p.width - 6, height: p.height - 6, rx: 4, ry: 4 }));
  const textX = state === 'expandable' ? p.x - TOGGLE_ROOM / 2 : p.x;
  g.append(svgText(node.label, { class: 'node-label', x: textX, y: p.y, 'text-anchor': 'middle', 'dominant-baseline': 'central' }));
  const why = input.margin?.(g, node, { left, top, height: p.height });
  const title = `${node.kind === 'node' ? node.id : `${node.label} (${node.id})`}${why ? `\n${why}` : ''}`;
  if (state === 'expandable') {
    g.append(tooltip(`${title}: a subgraph. Click (or Enter) to show its nodes.`));
    g.append(svgText('+', { class: 'toggle-mark', x: left + p.width - PAD_X + 2, y: p.y, 'text-anchor': 'middle', 'dominant-baseline': 'central' }));
    asToggle(g, `Expand subgraph ${node.label}`, () => input.toggle(node.id, true));
  } else if (state === 'opaque') {
    g.append(tooltip(`${title}: a subgraph; the server did not send its nodes`));
  } else g.append(tooltip(title));
  return g;
}

function clusterBox(box: Layout['clusters'][number], model: GraphModel, toggle: DrawInput['toggle']): SVGGElement {
  const sub = model.subgraphs.find((s) => s.id === box.id);
  const name = sub?.name ?? box.id;
  const left = box.x - box.width / 2;
  const top = box.y - box.height / 2;
  const head = svg('g', { class: 'cluster-head' }, [
    svgText(`− ${name}`, { class: 'cluster-label', x: left + 10, y: top + CLUSTER_HEAD / 2 + 2, 'dominant-baseline': 'central' }),
    tooltip(`Subgraph ${box.id}: click (or Enter) to draw it as one node`),
  ]);
  asToggle(head, `Collapse subgraph ${name}`, () => toggle(box.id, false));
  return svg('g', { class: 'cluster', 'data-id': box.id }, [svg('rect', { x: left, y: top, width: box.width, height: box.height, rx: 8, ry: 8 }), head]);
}

/** A clickable, focusable SVG group (Enter or Space acts too); the click goes no further (a dot inside a toggle). */
export function asToggle(g: SVGGElement, label: string, act: () => void): void {
  g.setAttribute('data-toggle', '');
  g.setAttribute('role', 'button');
  g.setAttribute('tabindex', '0');
  g.setAttribute('aria-label', label);
  g.addEventListener('click', (e) => {
    e.stopPropagation();
    act();
  });
  g.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    e.stopPropagation();
    act();
  });
}

/** Widths of the texts as the page draws them (one layout pass for all). */
function measureTexts(measure: SVGGElement, texts: string[], cls: string): Map<string, number> {
  measure.replaceChildren();
  const unique = [...new Set(texts)];
  const nodes = unique.map((text) => svgText(text, { class: cls }));
  measure.append(...nodes);
  const widths = new Map(unique.map((text, i) => [text, nodes[i]!.getComputedTextLength() || text.length * 7]));
  measure.replaceChildren();
  return widths;
}

/** A smooth curve through dagre's points (quadratic through the midpoints). */
function pathOf(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const r = (n: number) => Math.round(n * 10) / 10;
  let d = `M${r(points[0]!.x)},${r(points[0]!.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const q = points[i + 1]!;
    d += ` Q${r(p.x)},${r(p.y)} ${r((p.x + q.x) / 2)},${r((p.y + q.y) / 2)}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L${r(last.x)},${r(last.y)}`;
}
