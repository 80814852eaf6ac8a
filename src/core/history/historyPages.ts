/**
 * A thread's history, page by page, newest first: `limit` and `before` (the last checkpoint
 * shown), never the whole history at once, with no checkpoint twice and none skipped. Each
 * checkpoint is summarized (historyGroups.ts); grouping by run and nesting subgraphs is there too.
 * No vscode.
 *
 * Who wrote a checkpoint: neither server puts `metadata.writes` in checkpoints any more (JS
 * langgraph 1.7, Python 1.2); a step's writers are the tasks that ran from its parent checkpoint
 * (the parent's `tasks`). So each page asks for one checkpoint more than it shows: in a history
 * without forks that one is the last shown's parent. Where forks interleave the history, a parent
 * may come pages later: the child's `writers` stay undefined until then, and the page that brings
 * the parent returns the child again, completed, in `updated`.
 */
import { taskErrorMessage, type AgentServerClient, type ThreadState } from '../../api';
import { isRecord } from '../../shared/isRecord';
import { START } from '../graph/graphModel';
import { parentNamespace, type CheckpointSummary } from './historyGroups';

export type { CheckpointSummary } from './historyGroups';

/** One history request: the client's `threads.history` for one thread. */
export type HistorySource = (
  params: { limit: number; before?: string; checkpointNs?: string },
  signal?: AbortSignal,
) => Promise<ThreadState[]>;

export function historySource(client: AgentServerClient, threadId: string): HistorySource {
  return (params, signal) => client.threads.history(threadId, params, { signal });
}

export interface HistoryPage {
  /** The checkpoints of this page, newest first, none of them returned before. */
  items: CheckpointSummary[];
  /** Checkpoints of earlier pages whose writers this page made known (their parent came now). */
  updated: CheckpointSummary[];
  hasMore: boolean;
}

export interface HistoryPagerOptions {
  /** Checkpoints per page (1 to 999: one more is asked for, and Python takes at most 1,000). Default 50. */
  pageSize?: number;
  /** A subgraph's namespace (from `CheckpointSummary.subgraphs`); the root graph when left out. */
  checkpointNs?: string;
}

const MAX_PAGE = 999;

/** The checkpoint's summary; undefined for a state without a checkpoint id (it cannot be paged past). */
export function summarize(state: ThreadState, parent?: ThreadState): CheckpointSummary | undefined {
  const id = state.checkpoint?.checkpoint_id;
  if (!id) return undefined;
  const metadata = state.metadata ?? {};
  const ns = state.checkpoint?.checkpoint_ns ?? '';
  const source = str(metadata.source);
  const parents = isRecord(metadata.parents) ? metadata.parents : {};
  return {
    id,
    parentId: state.parent_checkpoint?.checkpoint_id ?? undefined,
    ns,
    parentStepId: ns ? str(parents[parentNamespace(ns)]) : undefined,
    step: typeof metadata.step === 'number' ? metadata.step : undefined,
    source,
    writers: writersOf(metadata, source, parent),
    createdAt: state.created_at ?? undefined,
    runId: str(metadata.run_id),
    next: [...state.next],
    errors: state.tasks.flatMap((t) => (t.error ? [{ task: t.name, message: taskErrorMessage(t.error) }] : [])),
    interrupts: interruptsOf(state),
    subgraphs: state.tasks.flatMap((t) => {
      const sub = t.checkpoint?.checkpoint_ns;
      return sub && sub !== ns ? [{ task: t.name, ns: sub }] : [];
    }),
  };
}

function writersOf(metadata: Record<string, unknown>, source: string | undefined, parent: ThreadState | undefined): string[] | undefined {
  if (isRecord(metadata.writes)) return Object.keys(metadata.writes);
  if (source !== 'loop') return [];
  return parent ? ranFrom(parent) : undefined;
}

/** The nodes that ran from a checkpoint and finished: who wrote its child. */
function ranFrom(state: ThreadState): string[] {
  return [...new Set(state.tasks.filter((t) => !t.error).map((t) => t.name))];
}

/** The tasks' interrupts; Python repeats them at the top level (JS: only in tasks), kept once. */
function interruptsOf(state: ThreadState): CheckpointSummary['interrupts'] {
  const out: CheckpointSummary['interrupts'] = [];
  const ids = new Set<string>();
  for (const task of state.tasks) {
    for (const i of task.interrupts ?? []) {
      if (i.id) ids.add(i.id);
      out.push({ task: task.name, id: i.id, value: i.value });
    }
  }
  const fromTasks = out.length;
  for (const i of state.interrupts ?? []) {
    if (i.id ? ids.has(i.id) : fromTasks > 0) continue;
    out.push({ task: undefined, id: i.id, value: i.value });
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Pages one graph's history (the root's, or one subgraph's) of one thread. */
export class HistoryPager {
  private readonly pageSize: number;
  private readonly ns: string | undefined;
  private readonly loaded: CheckpointSummary[] = [];
  private readonly index = new Map<string, number>();
  /** Who ran from each checkpoint read (shown or looked ahead at): the writers of its children. */
  private readonly ran = new Map<string, string[]>();
  /** Children shown before their parent was read, by parent id. */
  private readonly waiting = new Map<string, string[]>();
  private cursor: string | undefined;
  private done = false;

  constructor(
    private readonly source: HistorySource,
    options: HistoryPagerOptions = {},
  ) {
    this.pageSize = Math.max(1, Math.min(MAX_PAGE, Math.floor(options.pageSize ?? 50)));
    this.ns = options.checkpointNs || undefined;
  }

  /** Every checkpoint read so far, newest first, with what is known of each now. */
  get checkpoints(): readonly CheckpointSummary[] {
    return this.loaded;
  }

  get hasMore(): boolean {
    return !this.done;
  }

  /** The next (older) page. After the last one, empty pages. */
  async next(signal?: AbortSignal): Promise<HistoryPage> {
    if (this.done) return { items: [], updated: [], hasMore: false };
    const states = await this.source(
      { limit: this.pageSize + 1, ...(this.cursor ? { before: this.cursor } : {}), ...(this.ns ? { checkpointNs: this.ns } : {}) },
      signal,
    );
    const shown = states.slice(0, this.pageSize);
    // Fewer than asked: the history ends here. One more than shown: it goes on (that one is the
    // next page's first, read again then).
    if (states.length <= this.pageSize) this.done = true;
    const page = this.take(shown, states[this.pageSize]);
    if (page.items.length === 0) this.done = true; // nothing new: a server that does not page
    return { ...page, hasMore: !this.done };
  }

  /**
   * Checkpoints newer than the newest read (a run or a state update since): pages from the top
   * until one already read, and puts them first. Forks are newer than what they fork from, so
   * they come here too.
   */
  async newer(signal?: AbortSignal): Promise<HistoryPage> {
    if (this.loaded.length === 0) return this.next(signal);
    const found: ThreadState[] = [];
    let before: string | undefined;
    for (;;) {
      const states = await this.source(
        { limit: this.pageSize, ...(before ? { before } : {}), ...(this.ns ? { checkpointNs: this.ns } : {}) },
        signal,
      );
      const known = states.findIndex((s) => this.index.has(s.checkpoint?.checkpoint_id ?? ''));
      found.push(...(known < 0 ? states : states.slice(0, known)));
      const last = states[states.length - 1]?.checkpoint?.checkpoint_id;
      if (known >= 0 || states.length < this.pageSize || !last || last === before) break;
      before = last;
    }
    const fresh = this.take(found, undefined, 'front');
    return { ...fresh, hasMore: !this.done };
  }

  private take(states: readonly ThreadState[], lookahead: ThreadState | undefined, at: 'end' | 'front' = 'end'): Omit<HistoryPage, 'hasMore'> {
    for (const state of [...states, ...(lookahead ? [lookahead] : [])]) {
      const id = state.checkpoint?.checkpoint_id;
      if (id) this.ran.set(id, ranFrom(state));
    }
    const byId = new Map(states.map((s) => [s.checkpoint?.checkpoint_id, s]));
    const items: CheckpointSummary[] = [];
    const taken = new Set<string>();
    for (const state of states) {
      const parentId = state.parent_checkpoint?.checkpoint_id ?? undefined;
      const parent = parentId ? (byId.get(parentId) ?? (lookahead?.checkpoint?.checkpoint_id === parentId ? lookahead : undefined)) : undefined;
      const summary = summarize(state, parent);
      if (!summary || this.index.has(summary.id) || taken.has(summary.id)) continue;
      taken.add(summary.id);
      if (summary.writers === undefined && summary.parentId) {
        const known = this.ran.get(summary.parentId);
        if (known) summary.writers = known;
        else this.waiting.set(summary.parentId, [...(this.waiting.get(summary.parentId) ?? []), summary.id]);
      }
      items.push(summary);
    }
    if (at === 'front') this.loaded.unshift(...items);
    else this.loaded.push(...items);
    this.reindex();
    const last = this.loaded[this.loaded.length - 1];
    if (at === 'end' && last) this.cursor = last.id;
    return { items, updated: this.resolveWaiting(taken) };
  }

  /** Children waiting for a parent read now get their writers; those returned before come back. */
  private resolveWaiting(fresh: ReadonlySet<string>): CheckpointSummary[] {
    const updated: CheckpointSummary[] = [];
    for (const [parentId, children] of this.waiting) {
      const writers = this.ran.get(parentId);
      if (!writers) continue;
      this.waiting.delete(parentId);
      for (const childId of children) {
        const at = this.index.get(childId);
        if (at === undefined) continue;
        const completed = { ...this.loaded[at]!, writers };
        this.loaded[at] = completed;
        if (!fresh.has(childId)) updated.push(completed);
      }
    }
    return updated;
  }

  private reindex(): void {
    this.index.clear();
    this.loaded.forEach((c, i) => this.index.set(c.id, i));
  }
}

/**
 * The nodes whose step wrote the thread's newest root checkpoint (one page of two), without the
 * start: where a thread stopped at a breakpoint waits "after". None for an input, update or fork.
 */
export async function newestWriters(source: HistorySource, signal?: AbortSignal): Promise<string[]> {
  const { items } = await new HistoryPager(source, { pageSize: 1 }).next(signal);
  return (items[0]?.writers ?? []).filter((n) => n !== START);
}
