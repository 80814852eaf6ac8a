/**
 * Lays a graph out with dagre (@dagrejs/dagre: layered, for DAG-like graphs; bundled only into
 * dist/graph.js): top to bottom, expanded subgraphs as clusters around their nodes. Sizes come
 * from the page (text measured there); this file knows no DOM.
 */
import dagre from '@dagrejs/dagre';
import type { GraphModel } from './protocol';

export interface Size {
  width: number;
  height: number;
}

export interface Placed {
  id: string;
  /** Centre, as dagre gives it. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  index: number;
  points: { x: number; y: number }[];
  /** Where its label goes (when it has one). */
  label?: { x: number; y: number };
}

export interface Layout {
  nodes: Map<string, Placed>;
  /** Expanded subgraphs: boxes around their nodes. */
  clusters: Placed[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

/** Room above a cluster's nodes for its heading. */
export const CLUSTER_HEAD = 22;
const CLUSTER = '\u0000cluster:';

/**
 * `clusters`: the expanded subgraphs drawn (ids); `size` of every node; `labelSize` of an edge's
 * label. Edges are laid out by their index in `model.edges` (a multigraph: two edges may join the
 * same two nodes).
 */
export function layoutGraph(model: GraphModel, clusters: string[], size: (id: string) => Size, labelSize: (text: string) => Size): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true, compound: clusters.length > 0 });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44, edgesep: 12, marginx: 24, marginy: 24 + CLUSTER_HEAD });
  g.setDefaultEdgeLabel(() => ({}));
  const inCluster = new Set(clusters);
  for (const id of clusters) {
    g.setNode(CLUSTER + id, {});
  }
  const parentOf = new Map(model.subgraphs.map((s) => [s.id, s.parent]));
  for (const id of clusters) {
    const parent = parentOf.get(id);
    if (parent !== undefined && inCluster.has(parent)) g.setParent(CLUSTER + id, CLUSTER + parent);
  }
  for (const node of model.nodes) {
    g.setNode(node.id, { ...size(node.id) });
    if (node.parent !== undefined && inCluster.has(node.parent)) g.setParent(node.id, CLUSTER + node.parent);
  }
  model.edges.forEach((edge, index) => {
    const label = edge.label ? { ...labelSize(edge.label), labelpos: 'c' } : {};
    g.setEdge(edge.source, edge.target, { ...label, minlen: 1 }, String(index));
  });
  dagre.layout(g);

  const nodes = new Map<string, Placed>();
  for (const node of model.nodes) {
    const n = g.node(node.id);
    nodes.set(node.id, { id: node.id, x: n.x, y: n.y, width: n.width, height: n.height });
  }
  const placedClusters = clusters.map((id) => {
    const n = g.node(CLUSTER + id);
    return { id, x: n.x, y: n.y - CLUSTER_HEAD / 2, width: n.width, height: n.height + CLUSTER_HEAD };
  });
  const edges = model.edges.map((edge, index) => {
    const e = g.edge({ v: edge.source, w: edge.target, name: String(index) });
    const points = (e?.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y }));
    return { index, points, ...(edge.label && typeof e?.x === 'number' ? { label: { x: e.x, y: e.y } } : {}) };
  });
  const graph = g.graph();
  return { nodes, clusters: placedClusters, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}

