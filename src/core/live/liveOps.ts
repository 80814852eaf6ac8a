/**
 * What the thread panel's live view is told, as small append-only operations: the extension
 * folds a run's stream events into these (liveRun.ts) and the webview applies them (no vscode,
 * no DOM; both sides import this file through src/webview/protocol.ts). `ns` is a subgraph's
 * path of node names (`[]` for the graph itself); `at` is a time in ms since the epoch.
 */
export type LiveOp =
  /** A node (task) started. `key` is unique within the run. */
  | { op: 'step'; key: string; node: string; ns: string[]; at: number }
  /** It finished: the keys it wrote, its error, whether it stopped at an interrupt. */
  | { op: 'stepEnd'; key: string; at: number; wrote: string[]; error?: string; interrupted?: boolean }
  /** More of an assistant message's text. */
  | { op: 'text'; msg: string; node?: string; ns: string[]; text: string }
  /** A tool call as the model issues it: `args` is appended to what came for that index. */
  | { op: 'toolCall'; msg: string; index: number; id?: string; name?: string; args: string; ns: string[] }
  /** A tool's answer. */
  | { op: 'toolResult'; msg: string; name?: string; callId?: string; text: string; error?: boolean; ns: string[] }
  /** What a node wrote with the stream writer (clipped JSON). */
  | { op: 'custom'; ns: string[]; node?: string; at: number; data: string }
  /** An `error` event, in the server's words. */
  | { op: 'error'; text: string; at: number }
  /** An event this version does not read, or data it could not read: shown as it came (clipped). */
  | { op: 'other'; event: string; data: string; at: number }
  /** The server runs the run again (after a restart, from its last checkpoint): the steps it cut off are void. */
  | { op: 'attempt'; attempt: number; at: number }
  /** A line about the stream itself (reconnecting, earlier events not available, gave up). */
  | { op: 'note'; text: string; tone: 'info' | 'warn'; at: number };

/** The live view's header. */
export interface LiveHeader {
  runId: string;
  status: string;
  /** When the run was created (ms), for the elapsed time. */
  startedAt: number;
  /** The nodes running now (subgraph nodes as `parent › node`). */
  nodes: string[];
  /** Set once the stream is over: the run's end in words. */
  ended?: string;
}
