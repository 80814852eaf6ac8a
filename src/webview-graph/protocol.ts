/**
 * The messages between the graph panel (extension side, src/ui/graphPanel) and its page
 * (src/webview-graph/main.ts). Both sides import this file; nothing else crosses the boundary.
 * It is also the page's one door to src/core (eslint.config.mjs keeps it so): the DOM-free graph
 * model the page bundles. Messages from the page are checked on arrival (`parseFromGraphPage`).
 */
import type { BreakpointWhen } from '../core/graph/breakpoints';
import type { GraphModel } from '../core/graph/graphModel';
import { isRecord } from '../shared/isRecord';

export { collapse, END, START } from '../core/graph/graphModel';
export { breakpointSupport, breakpointsText } from '../core/graph/breakpoints';
export type { Breakpoint, BreakpointWhen } from '../core/graph/breakpoints';
import { MAX_NODE_NAME, type Breakpoint } from '../core/graph/breakpoints';
export type { GraphEdge, GraphModel, GraphNode, NodeKind, Subgraph } from '../core/graph/graphModel';

export const GRAPH_VIEW_TYPE = 'langgraph.graph';

/** Which graph a panel shows (the page keeps it in its state). */
export interface GraphHeading {
  deploymentName: string;
  /** The deployment's canonical URL (the node menu's commands name the deployment by it). */
  deploymentUrl: string;
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
  | { type: 'toggleSubgraph'; id: string; expanded: boolean }
  /** The assistant's breakpoints (all of them, after each change). */
  | { type: 'breakpoints'; breakpoints: Breakpoint[] }
  /** A thread of this assistant stopped at a breakpoint (null: none, or it went on). */
  | { type: 'paused'; pause: GraphPause | null }
  /** Where a run of this assistant is and went (live, or a thread's last run); null: none shown. */
  | { type: 'runPath'; runPath: GraphRunPath | null };

/** A run's path in the full model's ids (src/core/graph/runPath.ts makes it; the page maps it to what it draws). */
export interface GraphRunPath {
  running: string[];
  /** Steps finished per node. */
  done: Record<string, number>;
  path: { source: string; target: string }[];
  /** Nodes whose task failed, with the error's words (server text: shown as text only). */
  failed?: Record<string, string>;
  threadId: string;
  runId?: string;
  /** The ids as lists show them (the extension sets them). */
  threadLabel?: string;
  runLabel?: string;
  /** Still going (the running nodes are marked), or over. */
  live: boolean;
  /** Read from the run's stream, from its thread's state polled, or from the thread's history. */
  from?: 'stream' | 'state' | 'history';
}

/** Where a run of this assistant stopped at a breakpoint: its thread, the node(s) next and the node(s) whose step it stopped after. */
export interface GraphPause {
  threadId: string;
  /** The thread's short id, as lists show it. */
  threadLabel: string;
  next: string[];
  /** Empty when the stop is before the run's first node. */
  after: string[];
  /** A Continue or Step is on its way (the buttons wait). */
  busy?: boolean;
  /** Why the last Continue or Step failed, in the server's words. */
  error?: string;
}

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
  /** The breakpoints listed in the panel ("before agent"), and the marks drawn on nodes (the same words). */
  breakpoints: string[];
  marks: string[];
  /** Nodes drawn that cannot take a breakpoint, with the words their margin shows instead. */
  noBreakpoint: { node: string; why: string }[];
  /** The node menu's context on each node that has one (its data-vscode-context), in drawing order. */
  menus: Record<string, unknown>[];
  /** The stop shown ("thread 1a2b3c4d after agent, before tools"), '' when none. */
  paused: string;
  /** The run path as drawn (live highlight): nodes marked running, the step counts shown, the edges marked taken ("a -> b"). */
  running: string[];
  done: Record<string, number>;
  path: string[];
  /** Nodes marked failed, with the words their tooltip shows. */
  failed: Record<string, string>;
  /** The line that says which run is shown and how it went ('' when none). */
  runLine: string;
  /** Milliseconds from the message's arrival to the end of layout and drawing. */
  renderMs: number;
}

/** Page → extension. */
export type FromGraphPage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'rendered'; report: GraphReport }
  | { type: 'renderError'; message: string }
  /** A node's margin clicked: pause before or after it, on or off. */
  | { type: 'toggleBreakpoint'; node: string; when: BreakpointWhen }
  /** Remove one node's breakpoints (its entry in the list), or all (Clear all). */
  | { type: 'clearBreakpoints'; node?: string }
  /** Continue (or Step: pause after the next node) the thread that stopped. */
  | { type: 'continue'; threadId: string; step: boolean }
  /** Open the source that adds the node (double-click, or F12 on a focused node). */
  | { type: 'goToDefinition'; node: string };

/** What the page keeps across being hidden (vscode.setState): the subgraphs it shows expanded. */
export interface GraphPageState {
  expanded: string[];
}

const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_NODE_NAME;

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
    case 'toggleBreakpoint':
      return isName(raw.node) && (raw.when === 'before' || raw.when === 'after') ? { type: 'toggleBreakpoint', node: raw.node, when: raw.when } : undefined;
    case 'clearBreakpoints':
      return raw.node === undefined ? { type: 'clearBreakpoints' } : isName(raw.node) ? { type: 'clearBreakpoints', node: raw.node } : undefined;
    case 'continue':
      return isName(raw.threadId) && typeof raw.step === 'boolean' ? { type: 'continue', threadId: raw.threadId, step: raw.step } : undefined;
    case 'goToDefinition':
      return isName(raw.node) ? { type: 'goToDefinition', node: raw.node } : undefined;
    default:
      return undefined;
  }
}
