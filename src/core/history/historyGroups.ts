/**
 * A thread's checkpoints as people read them, and how they group: by run (consecutive
 * checkpoints of one run), with a subgraph's checkpoints nested under the step of the graph above
 * that ran it. No vscode, no DOM, no node: the webview may bundle this file (the summaries are
 * made on the extension side, by historyPages.ts).
 */
import type { KeyDiff, StateKeysDiff } from './stateDiff';

/** One checkpoint, summarized. Everything in it is the server's and untrusted text. */
export interface CheckpointSummary {
  id: string;
  /** The checkpoint it was written after; undefined for a thread's first one. */
  parentId: string | undefined;
  /** '' for the root graph, "research:<task id>" (nested: "a:<id>|b:<id>") for a subgraph's. */
  ns: string;
  /** A subgraph's checkpoint: the checkpoint of the graph above whose task ran the subgraph. */
  parentStepId: string | undefined;
  step: number | undefined;
  /** How it was written: "loop" (a step ran), "input" (a run's input), "update" (a state update), "fork" (a run from a checkpoint). */
  source: string | undefined;
  /**
   * The nodes that wrote it: `metadata.writes` keys (older servers), else, for a step ("loop"),
   * the tasks that ran from its parent checkpoint. [] when no node wrote it (input, update, fork:
   * see `source`); undefined while its parent has not been read yet.
   */
  writers: string[] | undefined;
  createdAt: string | undefined;
  runId: string | undefined;
  /** The nodes that run next from here. */
  next: string[];
  /** Tasks that ran from this checkpoint and failed, with the server's message. */
  errors: { task: string; message: string }[];
  /** Interrupts waiting at this checkpoint. */
  interrupts: { task: string | undefined; id: string | undefined; value: unknown }[];
  /** Subgraphs that ran from this checkpoint: their task and the namespace of their own checkpoints. */
  subgraphs: { task: string; ns: string }[];
}

/** Who wrote a checkpoint, for a label: its nodes, else how it came to be ("update", "input", …). */
export function writtenBy(checkpoint: CheckpointSummary): string[] {
  if (checkpoint.writers?.length) return checkpoint.writers;
  return [checkpoint.source ?? 'unknown'];
}

/** The namespace above a subgraph's ("a:1|b:2" → "a:1", "research:1" → ""). */
export function parentNamespace(ns: string): string {
  const cut = ns.lastIndexOf('|');
  return cut < 0 ? '' : ns.slice(0, cut);
}

/** A checkpoint and the subgraphs that ran from it, each with its checkpoints (as far as loaded). */
export interface HistoryEntry {
  checkpoint: CheckpointSummary;
  subgraphs: SubgraphEntry[];
}

export interface SubgraphEntry {
  task: string;
  ns: string;
  /** Newest first; empty until the subgraph's history has been read. */
  entries: HistoryEntry[];
  loaded: boolean;
}

/**
 * The checkpoints of one graph with the subgraph checkpoints read so far (by namespace) nested
 * under the step that ran them, deeper subgraphs under theirs. A subgraph checkpoint whose parent
 * step is another checkpoint (the same namespace read from elsewhere) is left out of this one.
 */
export function nestSubgraphs(
  checkpoints: readonly CheckpointSummary[],
  subgraphCheckpoints: ReadonlyMap<string, readonly CheckpointSummary[]> = new Map(),
): HistoryEntry[] {
  const nest = (list: readonly CheckpointSummary[], depth: number): HistoryEntry[] =>
    list.map((checkpoint) => ({
      checkpoint,
      subgraphs: checkpoint.subgraphs.map(({ task, ns }) => {
        const own = subgraphCheckpoints.get(ns);
        const mine = own?.filter((c) => c.parentStepId === undefined || c.parentStepId === checkpoint.id) ?? [];
        // Namespaces nest as deep as graphs do; a bound keeps a server's cycle from looping.
        return { task, ns, entries: depth < 32 ? nest(mine, depth + 1) : [], loaded: own !== undefined };
      }),
    }));
  return nest(checkpoints, 0);
}

/** Consecutive checkpoints of one run; runId undefined for state updates made outside a run. */
export interface RunGroup {
  runId: string | undefined;
  entries: HistoryEntry[];
}

/** Entries (newest first) grouped by run: a new group wherever the run id changes. */
export function groupByRun(entries: readonly HistoryEntry[]): RunGroup[] {
  const groups: RunGroup[] = [];
  for (const entry of entries) {
    const last = groups[groups.length - 1];
    if (last && last.runId === entry.checkpoint.runId) last.entries.push(entry);
    else groups.push({ runId: entry.checkpoint.runId, entries: [entry] });
  }
  return groups;
}

/**
 * A page of checkpoints of one namespace ('' the root graph, else a subgraph's), as the history
 * view gets it. `at`: 'reset' replaces what the view holds (all namespaces), 'end' adds older
 * ones, 'front' newer ones. `updated` are checkpoints sent before, now with their writers known.
 */
export interface HistoryChunk {
  ns: string;
  at: 'reset' | 'end' | 'front';
  items: CheckpointSummary[];
  updated: CheckpointSummary[];
  hasMore: boolean;
  /** Why the page could not be read, in words (the server's own where it gave any). */
  error?: string;
}

/** A selected checkpoint: its state's values and what changed from its parent. */
export interface CheckpointDetail {
  id: string;
  ns: string;
  /** The values at the checkpoint (undefined when they could not be read: see `error`). */
  values?: unknown;
  /** The parent's id, when the checkpoint has one. */
  parentId?: string;
  /** Top-level keys compared, and a deep diff of each key that differs (messages as messages). */
  keys?: StateKeysDiff;
  diffs?: KeyDiff[];
  error?: string;
}

/** "step 3 · model" (or "step 3 · update"): a checkpoint's row title. */
export function stepLabel(checkpoint: CheckpointSummary): string {
  const step = checkpoint.step === undefined ? 'step ?' : `step ${checkpoint.step}`;
  return `${step} · ${writtenBy(checkpoint).join(', ')}`;
}
