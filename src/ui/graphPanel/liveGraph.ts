/**
 * The graph panels' live highlight: feeds each open graph panel the path of the runs of its
 * deployment + assistant (src/core/graph/runPath.ts), and a panel opened from a thread the path of
 * that thread's last run (from its history).
 *
 * Where the run's progress comes from, cheapest first:
 * - A thread panel streams the run: its events are read as they come (streamTaps in
 *   liveSession.ts), no request of ours. The end's edge into `__end__` comes from the tracker's
 *   end (the thread idle), or from a history read when the tracker does not follow the run.
 * - Only the tracker follows it (a join, which carries no events): `GET …/state` once a second
 *   while a panel of its assistant is open and no stream event came (its `next` is the step in
 *   flight), one history page at the first poll (the steps before it), and the history once at
 *   the end for the exact path (steps between polls included).
 *   A second join or stream of our own would be one more connection per run; the tracker keeps
 *   those few (8 per deployment).
 * Which assistant a run is of: `run.assistant_id` (from the follow, else one `GET …/runs/{id}` per run).
 */
import * as vscode from 'vscode';
import type { AgentServerClient, Run, StreamEvent } from '../../api';
import type { Deployment } from '../../core/deployments';
import { HistoryPager, historySource } from '../../core/history/historyPages';
import type { GraphModel } from '../../core/graph/graphModel';
import { lastRunOf, lastRunPath, RunPath } from '../../core/graph/runPath';
import type { RunEnded, RunRef, ThreadRef } from '../../core/refs';
import { logError } from '../log';
import { streamTaps, type StreamTap } from '../threadPanel/liveSession';
import type { GraphPanel } from './graphPanel';

export interface LiveGraphDeps {
  panels: () => GraphPanel[];
  find: (url: string) => Deployment | undefined;
  clientFor: (deployment: Deployment) => Promise<AgentServerClient>;
  /** The tracker starts following a run. */
  followed: vscode.Event<RunRef & { run?: Run }>;
  runEnded: vscode.Event<RunEnded>;
  /** The tracker gave a run up (it could not read the server's answers): no end will come. */
  unfollowed: (listener: (ref: RunRef) => void) => { dispose(): void };
  /** Between two state reads of a run only the tracker follows. Default 1 s. */
  pollMs?: number;
}

/** A run seen live: what it did so far (the events that name nodes, or polled states). */
interface LiveRunEntry {
  ref: RunRef;
  run: Run | undefined;
  /** Which assistant it is of: read once a panel of its deployment is open. */
  assistant?: Promise<string | undefined>;
  events: { event: string; data: unknown }[];
  polls: { checkpoint: string; next: string[] }[];
  streamed: boolean;
  followed: boolean;
  ended: boolean;
  reachedEnd: boolean;
  timer?: ReturnType<typeof setTimeout>;
  /** Per panel showing it: the path folded so far (rebuilt when the panel's graph is read again). */
  paths: Map<GraphPanel, { model: GraphModel; path: RunPath; folded: number; polled: number }>;
}

const EVENT_CAP = 20_000;
/** Only these modes name nodes; the rest (messages, custom…) is not kept. */
const MODES = new Set(['tasks', 'debug', 'updates']);

export class LiveGraph implements vscode.Disposable, StreamTap {
  private readonly runs = new Map<string, LiveRunEntry>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly attached = new WeakSet<GraphPanel>();

  constructor(private readonly deps: LiveGraphDeps) {
    streamTaps.add(this);
    this.disposables.push(
      deps.followed((ref) => this.follow(ref)),
      deps.runEnded((e) => this.runEnded(e)),
      deps.unfollowed((ref) => this.unfollowed(ref)),
    );
  }

  /** A panel (just opened or revealed): shows the live run of its assistant, if any; from a thread, that thread's last run. */
  attach(panel: GraphPanel, thread?: ThreadRef): void {
    if (!this.attached.has(panel)) {
      this.attached.add(panel);
      panel.onDidLoad(() => this.refreshPanel(panel));
    }
    if (thread) void this.showLastRun(panel, thread);
    else this.refreshPanel(panel);
  }

  event(ref: RunRef, event: StreamEvent): void {
    if (!MODES.has(event.event.split('|')[0]!)) return;
    const entry = this.entry(ref);
    if (!entry.streamed) {
      // The stream replays the run from its start: polled states would count its steps twice.
      entry.streamed = true;
      entry.polls = [];
      entry.paths.clear();
    }
    if (entry.events.length < EVENT_CAP) entry.events.push({ event: event.event, data: compact(event.data) });
    void this.update(entry);
  }

  ended(ref: RunRef): void {
    const entry = this.runs.get(key(ref));
    // The tracker's end (with the thread's status) follows when it follows the run; else the history says.
    if (!entry || entry.followed || entry.ended) return;
    entry.ended = true;
    void this.finish(entry, undefined);
  }

  dispose(): void {
    streamTaps.delete(this);
    for (const entry of this.runs.values()) clearTimeout(entry.timer);
    this.runs.clear();
    for (const d of this.disposables) d.dispose();
  }

  private follow(ref: RunRef & { run?: Run }): void {
    const entry = this.entry(ref, ref.run);
    entry.followed = true;
    this.schedulePoll(entry);
  }

  private runEnded(e: RunEnded): void {
    const entry = this.runs.get(key(e));
    if (!entry || entry.ended) return;
    entry.ended = true;
    clearTimeout(entry.timer);
    entry.reachedEnd = e.threadStatus === 'idle';
    void this.finish(entry, e);
  }

  /**
   * Without this the run would stay live here for good: its panels would show it running, and it
   * would win over every other run path of its assistant. Its history shows how far it got.
   */
  private unfollowed(ref: RunRef): void {
    const entry = this.runs.get(key(ref));
    if (!entry || entry.ended) return;
    // A streamed one ends with its stream (`ended`), which waited for the tracker's word.
    entry.followed = false;
    if (entry.streamed) return;
    entry.ended = true;
    clearTimeout(entry.timer);
    void this.finish(entry, undefined);
  }

  private entry(ref: RunRef, run?: Run): LiveRunEntry {
    let entry = this.runs.get(key(ref));
    if (!entry) {
      entry = { ref: { deploymentUrl: ref.deploymentUrl, threadId: ref.threadId, runId: ref.runId }, run, events: [], polls: [], streamed: false, followed: false, ended: false, reachedEnd: false, paths: new Map() };
      this.runs.set(key(ref), entry);
      // Old runs go: the panels keep what they were shown.
      const oldest = this.runs.size > 50 ? this.runs.values().next().value : undefined;
      if (oldest) {
        clearTimeout(oldest.timer);
        this.runs.delete(key(oldest.ref));
      }
    } else entry.run ??= run;
    return entry;
  }

  private async assistantOf(ref: RunRef, run: Run | undefined): Promise<string | undefined> {
    if (run?.assistant_id) return run.assistant_id;
    const deployment = this.deps.find(ref.deploymentUrl);
    if (!deployment) return undefined;
    try {
      return (await (await this.deps.clientFor(deployment)).runs.get(ref.threadId, ref.runId)).assistant_id;
    } catch (error) {
      logError(`Could not read which assistant run ${ref.runId} is of`, error);
      return undefined;
    }
  }

  private panelsOf(deploymentUrl: string): GraphPanel[] {
    return this.deps.panels().filter((p) => p.deployment.id === deploymentUrl);
  }

  private async panelsFor(entry: LiveRunEntry): Promise<GraphPanel[]> {
    if (!this.panelsOf(entry.ref.deploymentUrl).length) return [];
    const assistant = await (entry.assistant ??= this.assistantOf(entry.ref, entry.run));
    return assistant ? this.panelsOf(entry.ref.deploymentUrl).filter((p) => p.assistant.assistant_id === assistant && p.model) : [];
  }

  /** Folds what is new into each panel's path and shows it (a panel whose graph changed starts again). */
  private async update(entry: LiveRunEntry): Promise<void> {
    for (const panel of await this.panelsFor(entry)) {
      const model = panel.model!;
      let at = entry.paths.get(panel);
      if (!at || at.model !== model) entry.paths.set(panel, (at = { model, path: new RunPath(model), folded: 0, polled: 0 }));
      for (const e of entry.events.slice(at.folded)) at.path.event(e);
      at.folded = entry.events.length;
      for (const p of entry.polls.slice(at.polled)) at.path.polled(p.checkpoint, p.next);
      at.polled = entry.polls.length;
      if (entry.ended) at.path.end(entry.reachedEnd);
      panel.showRunPath({ ...at.path.view(), threadId: entry.ref.threadId, runId: entry.ref.runId, live: !entry.ended, from: entry.streamed ? 'stream' : 'state' });
    }
  }

  private refreshPanel(panel: GraphPanel): void {
    const shownRun = panel.shownRunPath?.runId;
    const live = [...this.runs.values()].reverse().find((e) => e.ref.deploymentUrl === panel.deployment.id && (!e.ended || e.ref.runId === shownRun));
    if (live) void this.update(live);
  }

  private schedulePoll(entry: LiveRunEntry): void {
    if (entry.ended || entry.streamed) return;
    entry.timer = setTimeout(() => void this.poll(entry), this.deps.pollMs ?? 1_000);
  }

  private async poll(entry: LiveRunEntry): Promise<void> {
    const deployment = this.deps.find(entry.ref.deploymentUrl);
    if (entry.ended || entry.streamed || !deployment) return;
    try {
      if ((await this.panelsFor(entry)).length) {
        const client = await this.deps.clientFor(deployment);
        const had = entry.polls.length;
        if (had === 0) await this.stepsSoFar(entry, client);
        const state = await client.threads.getState(entry.ref.threadId);
        const checkpoint = state.checkpoint?.checkpoint_id;
        // The run's own checkpoint only: before it starts the state is the last run's.
        if (checkpoint && state.metadata?.run_id === entry.ref.runId && entry.polls.at(-1)?.checkpoint !== checkpoint) entry.polls.push({ checkpoint, next: [...state.next] });
        if (entry.polls.length > had && !entry.ended && !entry.streamed) await this.update(entry);
      }
    } catch (error) {
      logError(`Could not read where run ${entry.ref.runId} is`, error);
    }
    this.schedulePoll(entry);
  }

  /** The first poll: the run's steps before it, from one history page (a poll sees only the step in flight). */
  private async stepsSoFar(entry: LiveRunEntry, client: AgentServerClient): Promise<void> {
    const pager = new HistoryPager(historySource(client, entry.ref.threadId), { pageSize: 20 });
    await pager.next();
    const run = lastRunOf(pager.checkpoints);
    if (run.runId !== entry.ref.runId || entry.streamed) return;
    for (const c of [...run.items].reverse()) entry.polls.push({ checkpoint: c.id, next: c.next });
  }

  /** The run ended: a streamed one shows what its events said; a polled one its history, read once. */
  private async finish(entry: LiveRunEntry, ended: RunEnded | undefined): Promise<void> {
    if (entry.streamed && ended) return this.update(entry);
    for (const panel of await this.panelsFor(entry)) await this.showLastRun(panel, entry.ref);
  }

  private async showLastRun(panel: GraphPanel, thread: ThreadRef): Promise<void> {
    const deployment = this.deps.find(thread.deploymentUrl);
    if (!deployment) return;
    try {
      const model = panel.model ?? (await loadedOrGone(panel));
      if (!model) return;
      const client = await this.deps.clientFor(deployment);
      const view = await lastRunPath(model, historySource(client, thread.threadId));
      // A live run of this assistant shown meanwhile wins.
      if (panel.shownRunPath?.live && panel.shownRunPath.runId !== view.runId) return;
      const { runId, ...path } = view;
      panel.showRunPath({ ...path, threadId: thread.threadId, ...(runId ? { runId } : {}), live: false, from: 'history' });
    } catch (error) {
      logError(`Could not read the last run of thread ${thread.threadId}`, error);
    }
  }
}

function key(ref: RunRef): string {
  return `${ref.deploymentUrl}\n${ref.runId}`;
}

/** The panel's graph once read; undefined if the panel closes first. */
function loadedOrGone(panel: GraphPanel): Promise<GraphModel | undefined> {
  return new Promise((resolve) => {
    const subs = [panel.onDidLoad(() => done(panel.model)), panel.onDidDispose(() => done(undefined))];
    const done = (model: GraphModel | undefined) => {
      subs.forEach((s) => s.dispose());
      resolve(model);
    };
  });
}

/** What the fold reads of an event's data: names, ids, the kind and whether it ended (a node's input state can be large). */
function compact(data: unknown): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  const d = data as Record<string, unknown>;
  const pick = (t: Record<string, unknown>) => ({ id: t.id, name: t.name, ...('result' in t || 'error' in t ? { result: true, error: t.error ?? null } : {}) });
  if (typeof d.name === 'string') return pick(d);
  if (d.payload && typeof d.payload === 'object') return { type: d.type, payload: pick(d.payload as Record<string, unknown>) };
  return Object.fromEntries(Object.keys(d).map((k) => [k, true]));
}
