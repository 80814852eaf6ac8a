/**
 * An assistant's graph as the server draws it (`GET /assistants/{id}/graph`), normalized: nodes
 * with their kind (start, end, node) and the subgraph they are in, edges with their conditional
 * flag, and the subgraphs with their children, so a picture can expand and collapse them in place.
 * No vscode, no DOM, no node: the graph's webview may bundle this file.
 *
 * How the servers draw it (seen on both, see CONTRIBUTING "Graphs and breakpoints"):
 * - With `xray`, a subgraph's nodes replace its node, their ids prefixed with the subgraph's path
 *   joined by `:` (`research:gather`, `mid:inner:a`); `:` is reserved in node names on both
 *   libraries, so a `:` in an id always means a subgraph. No node stands for the subgraph itself.
 * - JS (@langchain/langgraph 1.7) draws a subgraph of one node as a single node even with xray
 *   (its `data.id` names `CompiledStateGraph`); Python expands it (`research:gather`). Python keeps
 *   a subgraph's `__end__` as a node (`mid:inner:__end__`) when an edge leads there.
 * - JS quotes a node named `subgraph` (`"subgraph"`, a Mermaid keyword); the name here is unquoted.
 */
import type { AssistantGraph } from '../../api';

export const START = '__start__';
export const END = '__end__';
/** Joins a subgraph's path and a node's name in an xray id (both servers). */
export const PATH_SEPARATOR = ':';

export type NodeKind = 'start' | 'end' | 'node';

export interface GraphNode {
  /** The server's id: the node's name at the root, `research:gather` inside a subgraph. */
  id: string;
  /** The node's own name: the last part of the id, unquoted. */
  name: string;
  /** What to draw: the name, or "start" / "end". */
  label: string;
  kind: NodeKind;
  /** The names of the subgraphs it is in, outermost first: `['research']`; `[]` at the root. */
  path: string[];
  /** The id of the subgraph it is in (`research`), undefined at the root. */
  parent: string | undefined;
  /** Drawn as one node but is a subgraph (its nodes not shown: not known, or collapsed). */
  subgraph: boolean;
  /** Breakpoints compiled into the graph (JS `metadata.__interrupt`: "before", "after"). */
  compiledInterrupts: ('before' | 'after')[];
}

export interface GraphEdge {
  source: string;
  target: string;
  conditional: boolean;
  /** The branch's label, when the server gives one. */
  label?: string;
}

export interface Subgraph {
  /** Its id prefix: `research`, `mid:inner` (its nodes' ids start with it and `:`). */
  id: string;
  name: string;
  /** The subgraphs it is in, outermost first. */
  path: string[];
  parent: string | undefined;
  /** Ids of its direct children, nodes and subgraphs, in the server's order. */
  children: string[];
  /** The server sent its nodes (xray): it can be drawn expanded. */
  expandable: boolean;
  /** Drawn as one node (its own id among the nodes). */
  collapsed: boolean;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Outer subgraphs before inner ones, in the order their first node came. */
  subgraphs: Subgraph[];
}

/** The server's graph, normalized. Edges to nodes the server did not list are dropped. */
export function normalizeGraph(json: AssistantGraph): GraphModel {
  const nodes: GraphNode[] = [];
  const seen = new Set<string>();
  for (const raw of json.nodes) {
    if (seen.has(raw.id)) continue;
    seen.add(raw.id);
    nodes.push(nodeOf(raw.id, drawsSubgraph(raw.data), compiledInterrupts(raw.metadata)));
  }
  const edges = dedupeEdges(
    json.edges
      .filter((e) => seen.has(e.source) && seen.has(e.target))
      .map((e) => ({ source: e.source, target: e.target, conditional: e.conditional === true, ...labelOf(e.data) })),
  );
  return { nodes, edges, subgraphs: subgraphsOf(nodes) };
}

export function nodeById(model: GraphModel, id: string): GraphNode | undefined {
  return model.nodes.find((n) => n.id === id);
}

/**
 * The graph with these subgraphs drawn as one node each (an outer one hides the inner ones): their
 * nodes are replaced by a node with the subgraph's id, edges into and out of them lead to it, edges
 * inside them are dropped, and merged edges are conditional only if all of them were. Always from
 * the full model, so expanding is collapsing fewer.
 */
export function collapse(model: GraphModel, subgraphIds: Iterable<string>): GraphModel {
  const asked = new Set(subgraphIds);
  const known = new Set(model.subgraphs.map((s) => s.id));
  const outermost = (parent: string | undefined): string | undefined => prefixesOf(parent).find((id) => asked.has(id) && known.has(id));
  const stand = new Map<string, string>();
  const nodes: GraphNode[] = [];
  const drawn = new Set<string>();
  for (const node of model.nodes) {
    const into = outermost(node.parent) ?? node.id;
    stand.set(node.id, into);
    if (drawn.has(into)) continue;
    drawn.add(into);
    nodes.push(into === node.id ? node : nodeOf(into, true, []));
  }
  const merged = new Map<string, GraphEdge & { all: boolean }>();
  for (const edge of model.edges) {
    const source = stand.get(edge.source)!;
    const target = stand.get(edge.target)!;
    const moved = source !== edge.source || target !== edge.target;
    if (!moved) {
      merged.set(JSON.stringify([source, target, edge.conditional, edge.label]), { ...edge, all: edge.conditional });
      continue;
    }
    if (source === target) continue; // inside a collapsed subgraph
    const key = JSON.stringify([source, target]);
    const had = merged.get(key);
    if (!had) merged.set(key, { source, target, conditional: edge.conditional, ...(edge.label ? { label: edge.label } : {}), all: edge.conditional });
    else {
      had.all &&= edge.conditional;
      if (had.label !== edge.label) delete had.label;
    }
  }
  const edges = [...merged.values()].map(({ all, ...edge }) => ({ ...edge, conditional: all }));
  const hidden = (s: Subgraph) => prefixesOf(s.parent).some((id) => asked.has(id));
  const subgraphs = model.subgraphs.filter((s) => !hidden(s)).map((s) => (asked.has(s.id) ? { ...s, collapsed: true } : s));
  return { nodes, edges, subgraphs };
}

/**
 * The graph with `depth` levels of subgraphs shown (0: none, as without xray), as Python's
 * `xray=<depth>` draws it. The JS server has no depth (`xray=2` reads as off): ask `xray: true`
 * and collapse here.
 */
export function collapseToDepth(model: GraphModel, depth: number): GraphModel {
  return collapse(
    model,
    model.subgraphs.filter((s) => s.path.length === depth).map((s) => s.id),
  );
}

/** The ids of the subgraphs a node (or subgraph) is in, outermost first: `mid:inner:a` → `mid`, `mid:inner`. */
export function ancestorsOf(item: Pick<GraphNode, 'parent'>): string[] {
  return prefixesOf(item.parent);
}

function prefixesOf(parent: string | undefined): string[] {
  if (parent === undefined) return [];
  const parts = parent.split(PATH_SEPARATOR);
  return parts.map((_, i) => parts.slice(0, i + 1).join(PATH_SEPARATOR));
}

function nodeOf(id: string, subgraph: boolean, interrupts: ('before' | 'after')[]): GraphNode {
  const parts = id.split(PATH_SEPARATOR);
  parts.pop();
  const name = nodeNameOf(id);
  const kind: NodeKind = name === START ? 'start' : name === END ? 'end' : 'node';
  return {
    id,
    name,
    label: kind === 'node' ? name : kind,
    kind,
    path: parts.map(unquote),
    parent: parts.length ? parts.join(PATH_SEPARATOR) : undefined,
    subgraph: kind === 'node' && subgraph,
    compiledInterrupts: interrupts,
  };
}

function subgraphsOf(nodes: GraphNode[]): Subgraph[] {
  const byId = new Map<string, Subgraph>();
  const add = (id: string, expandable: boolean): Subgraph => {
    let sg = byId.get(id);
    if (!sg) {
      const parts = id.split(PATH_SEPARATOR);
      const name = unquote(parts.pop()!);
      sg = { id, name, path: parts.map(unquote), parent: parts.length ? parts.join(PATH_SEPARATOR) : undefined, children: [], expandable, collapsed: !expandable };
      byId.set(id, sg);
      if (sg.parent !== undefined) add(sg.parent, true).children.push(id);
    }
    return sg;
  };
  for (const node of nodes) {
    if (node.subgraph) add(node.id, false);
    if (node.parent !== undefined) add(node.parent, true).children.push(node.id);
  }
  for (const sg of byId.values()) sg.children = [...new Set(sg.children)];
  return [...byId.values()].sort((a, b) => a.path.length - b.path.length);
}

/** JS: `data.id` of a compiled graph is `["langgraph", "pregel", "CompiledStateGraph"]`. */
function drawsSubgraph(data: unknown): boolean {
  if (!data || typeof data !== 'object') return false;
  const id = (data as { id?: unknown }).id;
  return Array.isArray(id) && id.some((part) => part === 'CompiledStateGraph' || part === 'CompiledGraph' || part === 'Pregel');
}

function compiledInterrupts(metadata: Record<string, unknown> | null | undefined): ('before' | 'after')[] {
  const mark = metadata?.__interrupt;
  if (typeof mark !== 'string') return [];
  return (['before', 'after'] as const).filter((w) => mark.split(',').includes(w));
}

function labelOf(data: unknown): { label?: string } {
  return typeof data === 'string' && data ? { label: data } : {};
}

/** A node's own name from its id: the last part, unquoted (`outer:"subgraph"` → `subgraph`). */
export function nodeNameOf(id: string): string {
  return unquote(id.slice(id.lastIndexOf(PATH_SEPARATOR) + 1));
}

function unquote(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
}

function dedupeEdges(edges: GraphEdge[]): GraphEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const key = JSON.stringify([e.source, e.target, e.conditional, e.label]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
