/**
 * The messages between the graph panel (extension side, src/ui/graphPanel) and its page
 * (src/webview-graph/main.ts). Both sides import this file; nothing else crosses the boundary.
 * It is also the page's one door to src/core (eslint.config.mjs keeps it so): the DOM-free graph
 * model the page bundles. Messages from the page are checked on arrival (`parseFromGraphPage`).
 */
import type { GraphModel } from '../core/graph/graphModel';
import { isRecord } from '../shared/isRecord';

export { collapse, END, START } from '../core/graph/graphModel';
export type { GraphEdge, GraphModel, GraphNode, NodeKind, Subgraph } from '../core/graph/graphModel';

export const GRAPH_VIEW_TYPE = 'langgraph.graph';

/** Which graph a panel shows (the page keeps it in its state). */
export interface GraphHeading {
  deploymentName: string;
  /** The assistant's name (or its graph id), its graph id and its id. */
  assistantName: string;
  graphId: string;
  assistantId: string;
}

/** Extension → page. */
export type ToGraphPage =
  | { type: 'loading'; heading: GraphHeading }
  /** The graph as the server drew it with xray, normalized (subgraphs the server expanded can be collapsed here). */
  | { type: 'graph'; heading: GraphHeading; model: GraphModel }
  | { type: 'loadError'; heading: GraphHeading; message: string }
  /** Expand or collapse a subgraph (what a click does; the extension tests send it). */
  | { type: 'toggleSubgraph'; id: string; expanded: boolean };

/** What the page drew, in words: extension tests read it. */
export interface GraphReport {
  assistantId: string;
  /** Node ids drawn (a collapsed subgraph is one node, with its id), in the model's order. */
  nodes: string[];
  /** Edges drawn. */
  edges: { source: string; target: string; conditional: boolean }[];
  /** Subgraphs drawn as one node that the server gave no nodes for (cannot expand). */
  opaque: string[];
  /** Subgraphs drawn expanded (their nodes shown in a box), and those drawn collapsed that can expand. */
  expanded: string[];
  collapsed: string[];
  /** The error shown instead of a graph, '' when a graph is drawn. */
  error: string;
  /** Milliseconds from the message's arrival to the end of layout and drawing. */
  renderMs: number;
}

/** Page → extension. */
export type FromGraphPage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'rendered'; report: GraphReport }
  | { type: 'renderError'; message: string }
  /** Open the source that adds the node (double-click, or F12 on a focused node). */
  | { type: 'goToDefinition'; node: string };

/** What the page keeps across being hidden (vscode.setState): the subgraphs it shows expanded. */
export interface GraphPageState {
  expanded: string[];
}

/** A message from the page, or undefined if it is not one of ours (ignored, never thrown). */
export function parseFromGraphPage(raw: unknown): FromGraphPage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'refresh':
      return { type: 'refresh' };
    case 'rendered':
      return isRecord(raw.report) && typeof raw.report.assistantId === 'string' && Array.isArray(raw.report.nodes)
        ? { type: 'rendered', report: raw.report as unknown as GraphReport }
        : undefined;
    case 'renderError':
      return typeof raw.message === 'string' ? { type: 'renderError', message: raw.message.slice(0, 2000) } : undefined;
    case 'goToDefinition':
      return typeof raw.node === 'string' && raw.node.length > 0 && raw.node.length <= 1000 ? { type: 'goToDefinition', node: raw.node } : undefined;
    default:
      return undefined;
  }
}
