/**
 * What one thread panel's history view asks of the server: pages of checkpoints (the root's and
 * each subgraph's, one HistoryPager per namespace, made when first asked), and a selected
 * checkpoint's state with what changed from its parent. The diff is made here, not in the webview,
 * so two 5 MB states never cross into the page: only the selected state's values and the diff do.
 * A key too big for the budget (or left unchecked) is compared when the user asks (`keyDiff`).
 * No vscode: the panel (src/ui/threadPanel) posts what this returns.
 */
import type { AgentServerClient, ThreadState } from '../../api';
import type { CheckpointDetail, CheckpointSummary, HistoryChunk } from './historyGroups';
import { HistoryPager, historySource } from './historyPages';
import { diffKey, diffKeys, type KeyDiff } from './stateDiff';

/** States kept for selections and key diffs: a checkpoint and its parent, and the pair before. */
const STATES_KEPT = 4;
/** A key asked for by name is compared with this budget (a few seconds at worst). */
const ASKED_BUDGET = 2_000_000;

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class HistorySession {
  private readonly pagers = new Map<string, HistoryPager>();
  private readonly states = new Map<string, Promise<ThreadState>>();

  constructor(
    private readonly client: AgentServerClient,
    private readonly threadId: string,
    private readonly pageSize?: number,
  ) {}

  /** Whether the root history has been read at all. */
  get started(): boolean {
    return this.pagers.has('');
  }

  /** The first page of the root history, or (once read) the checkpoints made since. */
  async open(signal?: AbortSignal): Promise<HistoryChunk> {
    const first = !this.started;
    return this.page('', first ? 'reset' : 'front', (p) => (first ? p.next(signal) : p.newer(signal)));
  }

  /** The next older page of a namespace ('' the root graph, else a subgraph's). */
  more(ns: string, signal?: AbortSignal): Promise<HistoryChunk> {
    return this.page(ns, 'end', (p) => p.next(signal));
  }

  /** Everything read so far, one chunk per namespace, the root first (for a webview made afresh). */
  snapshot(): HistoryChunk[] {
    return [...this.pagers].map(([ns, pager], i) => ({ ns, at: i === 0 ? 'reset' : 'end', items: [...pager.checkpoints], updated: [], hasMore: pager.hasMore }));
  }

  /** The checkpoint's summary, if read. */
  find(id: string, ns = ''): CheckpointSummary | undefined {
    return this.pagers.get(ns)?.checkpoints.find((c) => c.id === id);
  }

  /** Forgets everything read: the next `open` starts from the top (a thread copied, a fork made elsewhere). */
  reset(): void {
    this.pagers.clear();
    this.states.clear();
  }

  /** The checkpoint's values and its diff against its parent; failures in words, never thrown. */
  async select(id: string, ns: string, signal?: AbortSignal): Promise<CheckpointDetail> {
    let state: ThreadState;
    try {
      state = await this.state(id, ns, signal);
    } catch (error) {
      return { id, ns, error: `Could not read checkpoint ${id}: ${describeError(error)}` };
    }
    const parentId = state.parent_checkpoint?.checkpoint_id ?? undefined;
    if (!parentId) {
      const keys = diffKeys({}, state.values);
      return { id, ns, values: state.values, keys, diffs: keys.added.map((k) => diffKey({}, state.values, k)) };
    }
    let parent: ThreadState;
    try {
      parent = await this.state(parentId, ns, signal);
    } catch (error) {
      return { id, ns, values: state.values, parentId, error: `Could not read the parent checkpoint ${parentId}: ${describeError(error)}` };
    }
    const keys = diffKeys(parent.values, state.values);
    const diffs = [...keys.added, ...keys.removed, ...keys.changed].map((k) => diffKey(parent.values, state.values, k));
    return { id, ns, values: state.values, parentId, keys, diffs };
  }

  /** One key compared, with a budget large enough for what a user asks to see. */
  async keyDiff(id: string, ns: string, key: string, signal?: AbortSignal): Promise<KeyDiff> {
    const state = await this.state(id, ns, signal);
    const parentId = state.parent_checkpoint?.checkpoint_id ?? undefined;
    const before = parentId ? (await this.state(parentId, ns, signal)).values : {};
    return diffKey(before, state.values, key, { budget: ASKED_BUDGET });
  }

  private async page(ns: string, at: HistoryChunk['at'], read: (pager: HistoryPager) => Promise<{ items: CheckpointSummary[]; updated: CheckpointSummary[]; hasMore: boolean }>): Promise<HistoryChunk> {
    let pager = this.pagers.get(ns);
    if (!pager) {
      pager = new HistoryPager(historySource(this.client, this.threadId), { pageSize: this.pageSize, checkpointNs: ns });
      this.pagers.set(ns, pager);
    }
    try {
      const page = await read(pager);
      return { ns, at, ...page };
    } catch (error) {
      if (at === 'reset') this.pagers.delete(ns);
      return { ns, at, items: [], updated: [], hasMore: pager.hasMore, error: `Could not read the history: ${describeError(error)}` };
    }
  }

  private state(id: string, ns: string, signal?: AbortSignal): Promise<ThreadState> {
    const key = `${ns}|${id}`;
    let state = this.states.get(key);
    if (state) {
      // Most recently used last.
      this.states.delete(key);
      this.states.set(key, state);
      return state;
    }
    state = this.client.threads.getStateAt(this.threadId, id, { checkpointNs: ns || undefined, signal });
    state.catch(() => this.states.delete(key));
    this.states.set(key, state);
    while (this.states.size > STATES_KEPT) this.states.delete(this.states.keys().next().value!);
    return state;
  }
}
