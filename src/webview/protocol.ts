/**
 * The messages between the thread panel (extension side, src/ui/threadPanel) and its webview
 * (src/webview/main.ts). Both sides import this file; nothing else crosses the boundary.
 * Messages from the webview are checked on arrival (`parseFromWebview`): the webview shows
 * content from a deployment, so the extension treats what it says as untrusted too.
 */
import type { ThreadRef } from '../core/refs';
import type { ThreadView } from '../core/threadView';
import { isRecord } from '../shared/isRecord';

// The webview's one door to the rest of src/ (eslint.config.mjs keeps it so): the DOM-free helpers
// of src/core that the page bundles, re-exported for the other webview files.
export { callSignature, lastAssistantMessage, messagesOf, normalizeMessages, prettyJson } from '../core/messages';
export type { MessagePart, MessageView, ToolCallView } from '../core/messages';
export { parseResumeValue } from '../core/resumeValue';
export { isSafeExternalUrl } from '../core/safeLinks';
export { shortId } from '../core/threadLabels';
export type { InterruptView, ThreadView } from '../core/threadView';
export { isBreakpointStop } from '../core/graph/breakpoints';
export type { LiveHeader, LiveOp } from '../core/live/liveOps';
import type { LiveHeader, LiveOp } from '../core/live/liveOps';
export { groupByRun, nestSubgraphs, stepLabel, writtenBy } from '../core/history/historyGroups';
export type { CheckpointDetail, CheckpointSummary, HistoryChunk, HistoryEntry, RunGroup, SubgraphEntry } from '../core/history/historyGroups';
export { branchView, switchBranch } from '../core/history/branches';
export type { BranchView, Fork } from '../core/history/branches';
export type { KeyDiff, MessagesDiff, StateKeysDiff, ValueChange } from '../core/history/stateDiff';
import type { CheckpointDetail, HistoryChunk } from '../core/history/historyGroups';
import type { KeyDiff } from '../core/history/stateDiff';

export const VIEW_TYPE = 'langgraph.thread';

/** Extension → webview. */
export type ToWebview =
  | { type: 'loading'; ref: ThreadRef; title: string }
  | { type: 'render'; view: ThreadView }
  | { type: 'loadError'; ref: ThreadRef; title: string; message: string; detail?: string }
  | { type: 'resumeResult'; ok: boolean; message: string }
  /** A run streaming on this thread: a new header and the ops since the last message (all of them with `reset`). */
  | { type: 'live'; header: LiveHeader; ops: LiveOp[]; reset?: boolean }
  | HistoryMessage
  | CheckpointMessage
  | { type: 'historyKeyDiff'; id: string; diff: KeyDiff }
  /** Open the history view (it then asks for pages), selecting `select` once it is read. */
  | { type: 'historyShow'; select?: string }
  /** The outcome of a checkpoint action (re-run, edit, fork) in words, shown in the history view. */
  | { type: 'historyNote'; ok: boolean; message: string };

export type HistoryMessage = { type: 'history' } & HistoryChunk;
export type CheckpointMessage = { type: 'checkpoint' } & CheckpointDetail;

/** What the history view shows, in words (extension tests, the e2e and the bench read it). */
export interface HistoryReport {
  /** Checkpoint rows on screen, newest first: their ids. */
  shown: string[];
  /** The rows' text, one line per row (clipped). */
  rows: string[];
  /** Run groups' headings, in order. */
  groups: string[];
  /** Subgraphs on screen under their step: the task, its namespace, and its rows as shown (none while closed). */
  subgraphs: { task: string; ns: string; rows: string[] }[];
  /** The forks on the line shown, as "parent id: n of m". */
  forks: string[];
  /** The tip of the branch shown. */
  tip: string | undefined;
  hasMore: boolean;
  /** The selected checkpoint, and the text of its diff (clipped), '' while it loads. */
  selected: string | undefined;
  diff: string;
  /** The last note (an action's outcome). */
  note: string;
  /** Errors on screen (a page or a checkpoint that could not be read), in the server's words. */
  errors: string[];
  /** Milliseconds from the message's arrival to the end of layout. */
  renderMs: number;
}

/** What the live view shows, in words (extension tests and the bench read it). */
export interface LiveReport {
  runId: string;
  status: string;
  /** The run's end in words once the stream is over, else ''. */
  ended: string;
  nodes: string[];
  /** The last streamed assistant message's text as received (markdown, clipped), and its length. */
  answer: string;
  answerChars: number;
  stepsDone: number;
  stepsShown: number;
  /** Text of the timeline (clipped). */
  timeline: string;
  toolCalls: string[];
  customCount: number;
  errors: string[];
  notes: string[];
  /** Frames that applied ops, and the ops applied. */
  frames: number;
  opsApplied: number;
}

/** What the webview rendered, in words: extension tests and the bench read it. */
export interface RenderedReport {
  threadId: string;
  /** Text of the top: title, thread status, run outcome. */
  header: string;
  /** Text of the last assistant message as rendered ('' when there is none). */
  lastMessage: string;
  /** Messages in the state, and how many are on screen (older ones wait behind a button). */
  messageCount: number;
  messagesShown: number;
  /** Text of the conversation as rendered (clipped). */
  conversation: string;
  /** Text of the interrupt section ('' when the thread is not interrupted). */
  interrupt: string;
  /** Top-level keys shown in the state tree. */
  valuesKeys: string[];
  /** Text of the details (next, tasks, checkpoint, metadata) section, clipped. */
  details: string;
  /** Text of the timeline of the run last streamed here ('' when none), clipped. */
  timeline: string;
  /** Whether a run is shown streaming (live) in this render. */
  streaming: boolean;
  /** Every link the page holds (all must be http(s)). */
  links: string[];
  /** Milliseconds from receiving the message to the end of layout, measured in the webview. */
  renderMs: number;
}

/** The thread commands the panel's header offers, by the name the webview sends (an allow-list). */
export const PANEL_COMMANDS = {
  showHistory: 'langgraph.showHistory',
  copyThread: 'langgraph.copyThread',
  openStateJson: 'langgraph.openStateJson',
  showGraph: 'langgraph.showGraph',
  continueRun: 'langgraph.continueRun',
  stepRun: 'langgraph.stepRun',
} as const;
export type PanelCommand = keyof typeof PANEL_COMMANDS;

/** What a checkpoint's buttons do: re-run from it, edit its state (and fork), open its state as JSON. */
export const CHECKPOINT_ACTIONS = ['rerun', 'edit', 'json'] as const;
export type CheckpointAction = (typeof CHECKPOINT_ACTIONS)[number];

/** Webview → extension. */
export type FromWebview =
  | { type: 'command'; name: PanelCommand }
  /** The history view's first page (all read so far when `fresh`: a webview made afresh), or the checkpoints newer than it holds. */
  | { type: 'historyOpen'; fresh: boolean }
  | { type: 'historyMore'; ns: string }
  | { type: 'historySelect'; id: string; ns: string }
  | { type: 'historyKeyDiff'; id: string; ns: string; key: string }
  | { type: 'historyAction'; id: string; ns: string; action: CheckpointAction }
  | { type: 'historyRendered'; report: HistoryReport }
  | { type: 'ready'; ref?: ThreadRef }
  | { type: 'refresh' }
  | { type: 'openLink'; url: string }
  | { type: 'copy'; text: string }
  | { type: 'resume'; json: string }
  | { type: 'rendered'; report: RenderedReport }
  | { type: 'liveRendered'; report: LiveReport }
  | { type: 'renderError'; message: string };

/** What the webview keeps across reloads (vscode.setState); the panel serializer reads it. */
export interface WebviewState {
  ref: ThreadRef;
  title?: string;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isId = (v: unknown): v is string => isStr(v) && v.length > 0 && v.length < 512;
const isNs = (v: unknown): v is string => isStr(v) && v.length < 4096;

export function isThreadRefLike(v: unknown): v is ThreadRef {
  return isRecord(v) && isStr(v.deploymentUrl) && isStr(v.threadId) && v.threadId.length > 0 && v.threadId.length < 512;
}

/** A message from the webview, or undefined if it is not one of ours (ignored, never thrown). */
export function parseFromWebview(raw: unknown): FromWebview | undefined {
  if (!isRecord(raw) || !isStr(raw.type)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready', ...(isThreadRefLike(raw.ref) ? { ref: raw.ref } : {}) };
    case 'refresh':
      return { type: 'refresh' };
    case 'command':
      return isStr(raw.name) && Object.hasOwn(PANEL_COMMANDS, raw.name) ? { type: 'command', name: raw.name as PanelCommand } : undefined;
    case 'historyOpen':
      return { type: 'historyOpen', fresh: raw.fresh === true };
    case 'historyMore':
      return isNs(raw.ns) ? { type: 'historyMore', ns: raw.ns } : undefined;
    case 'historySelect':
      return isId(raw.id) && isNs(raw.ns) ? { type: 'historySelect', id: raw.id, ns: raw.ns } : undefined;
    case 'historyKeyDiff':
      return isId(raw.id) && isNs(raw.ns) && isStr(raw.key) && raw.key.length < 4096 ? { type: 'historyKeyDiff', id: raw.id, ns: raw.ns, key: raw.key } : undefined;
    case 'historyAction':
      return isId(raw.id) && isNs(raw.ns) && (CHECKPOINT_ACTIONS as readonly unknown[]).includes(raw.action)
        ? { type: 'historyAction', id: raw.id, ns: raw.ns, action: raw.action as CheckpointAction }
        : undefined;
    case 'historyRendered':
      return isRecord(raw.report) && Array.isArray(raw.report.shown) ? { type: 'historyRendered', report: raw.report as unknown as HistoryReport } : undefined;
    case 'openLink':
      return isStr(raw.url) ? { type: 'openLink', url: raw.url } : undefined;
    case 'copy':
      return isStr(raw.text) ? { type: 'copy', text: raw.text } : undefined;
    case 'resume':
      return isStr(raw.json) ? { type: 'resume', json: raw.json } : undefined;
    case 'rendered':
      return isRecord(raw.report) && isStr(raw.report.threadId) ? { type: 'rendered', report: raw.report as unknown as RenderedReport } : undefined;
    case 'liveRendered':
      return isRecord(raw.report) && isStr(raw.report.runId) ? { type: 'liveRendered', report: raw.report as unknown as LiveReport } : undefined;
    case 'renderError':
      return isStr(raw.message) ? { type: 'renderError', message: raw.message.slice(0, 2000) } : undefined;
    default:
      return undefined;
  }
}

export function isWebviewState(v: unknown): v is WebviewState {
  return isRecord(v) && isThreadRefLike(v.ref);
}
