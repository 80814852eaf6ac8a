/**
 * Where a run is in its graph and where it went: the nodes running now, the steps each node
 * finished, and the edges taken, in the graph model's ids (graphModel.ts). Folded from a run's
 * stream events (`tasks`, `debug`, `updates`, with `stream_subgraphs` namespaces), from thread
 * states polled while a run goes, or from the history of its last run. No vscode, no DOM.
 *
 * What the servers send (both, seen in tests; test/unit/fixtures/run-path/):
 * - `tasks`: `{id, name, input, triggers}` when a task starts, `{id, name, result, error,
 *   interrupts}` when it ends; `debug`: `{type: 'task' | 'task_result', step, payload}` with the
 *   same payloads; `updates`: `{<node>: <writes>}` when a node ends (no id). `__start__` has no task.
 * - A subgraph's events are `<mode>|<node>:<task id>` (nested: `…|inner:<id>`); its nodes' model ids
 *   are the namespace's node names and the node's joined by `:` (`research:gather`) when the server
 *   expanded it (xray), and absent when it did not (JS draws a one-node subgraph as one node): such
 *   inner nodes are left out, their subgraph's own task stands for them.
 * - History: a loop checkpoint's `writers` are the nodes of the step that made it (`__start__`
 *   for a run's first), `metadata.run_id` names the run.
 */
import type { CheckpointSummary } from '../history/historyGroups';
import { HistoryPager, type HistorySource } from '../history/historyPages';
import { isRecord } from '../../shared/isRecord';
import { truncate } from '../../shared/text';
import { taskErrorText } from '../live/errorText';
import { END, PATH_SEPARATOR, START, type GraphModel } from './graphModel';

export interface RunPathView {
  /** Model ids (nodes, or subgraphs whose task runs) running now. */
  running: string[];
  /** Steps finished per model id (start and end left out). */
  done: Record<string, number>;
  /** The model's edges the run took, in the order first taken. */
  path: { source: string; target: string }[];
  /** Model ids whose task failed in this run, with the error's words (clipped). */
  failed: Record<string, string>;
}

export const EMPTY_RUN_PATH: RunPathView = { running: [], done: {}, path: [], failed: {} };

/** Characters of a failed task's error kept for the graph (a node's tooltip, not a log). */
const MAX_ERROR_TEXT = 500;

/** One namespace's steps: the nodes of the last step, and those finished since. */
interface Level {
  last: string[];
  recent: string[];
  started: boolean;
}

export class RunPath {
  private readonly known: Set<string>;
  private readonly running = new Map<string, string>();
  private readonly finished = new Set<string>();
  private readonly done = new Map<string, number>();
  private readonly failed = new Map<string, string>();
  private readonly path = new Map<string, { source: string; target: string }>();
  private readonly levels = new Map<string, Level>();
  private lastPoll: { checkpoint: string; next: string[] } | undefined;
  /** Once task events come (tasks or debug), `updates` would count the same ends twice. */
  private sawTasks = false;

  constructor(private readonly model: GraphModel) {
    this.known = new Set([...model.nodes.map((n) => n.id), ...model.subgraphs.map((s) => s.id)]);
  }

  /** A stream event (any mode; the ones that do not name a node are ignored). True when the view changed. */
  event(event: { event: string; data: unknown }): boolean {
    const [mode = '', ...parts] = event.event.split('|');
    const ns = parts.map((p) => (p.includes(':') ? p.slice(0, p.indexOf(':')) : p));
    const scope = parts.join('|');
    const data = event.data;
    if (!isRecord(data)) return false;
    if (mode === 'tasks') return this.task(scope, ns, data);
    if (mode === 'debug' && (data.type === 'task' || data.type === 'task_result') && isRecord(data.payload)) return this.task(scope, ns, data.payload);
    if (mode === 'updates' && !this.sawTasks) {
      let changed = false;
      for (const name of Object.keys(data)) if (!name.startsWith('__')) changed = this.finish(scope, ns, name, undefined) || changed;
      return changed;
    }
    return false;
  }

  /** A task started (`key` unique in the run; undefined when the source has no ids). */
  start(scope: string, ns: string[], name: string, key?: string): boolean {
    const id = this.idOf(ns, name);
    const k = `${scope}/${key ?? name}`;
    if (this.running.has(k) || this.finished.has(k)) return false;
    const level = this.level(scope);
    if (level.recent.length > 0) {
      level.last = level.recent;
      level.recent = [];
    }
    if (!level.started && level.last.length === 0 && ns.length === 0) level.last = [START];
    level.started = true;
    for (const from of level.last) this.take(ns, from, name);
    if (id === undefined) return false;
    this.running.set(k, id);
    return true;
  }

  /** A task ended; `error` (its words) marks it failed and counts no step. */
  finish(scope: string, ns: string[], name: string, key: string | undefined, error?: string): boolean {
    const k = `${scope}/${key ?? name}`;
    if (this.finished.has(k)) return false;
    // An end without a start (updates only, or joined late): the step starts here.
    if (!this.running.has(k)) this.start(scope, ns, name, key);
    if (key !== undefined) this.finished.add(k);
    const id = this.running.get(k);
    this.running.delete(k);
    this.level(scope).recent.push(name);
    if (id === undefined) return false;
    if (id === START || id === END) return true;
    if (error === undefined) this.done.set(id, (this.done.get(id) ?? 0) + 1);
    else this.failed.set(id, truncate(error, MAX_ERROR_TEXT));
    return true;
  }

  /** The run is over: nothing runs; `reachedEnd` (the thread has nothing next) takes the edges into the end. */
  end(reachedEnd: boolean): void {
    this.running.clear();
    const root = this.levels.get('');
    if (reachedEnd && root) for (const from of root.recent.length ? root.recent : root.last) this.take([], from, END);
  }

  /**
   * A thread state read while the run goes (`GET …/state`): its `next` is the step in flight. A
   * new checkpoint ends the step before (the nodes then next) and starts this one.
   */
  polled(checkpointId: string, next: readonly string[]): boolean {
    const before = this.lastPoll;
    if (before?.checkpoint === checkpointId) return false;
    let changed = false;
    if (before) for (const name of before.next) changed = this.finish('', [], name, `poll:${before.checkpoint}:${name}`) || changed;
    for (const name of next) changed = this.start('', [], name, `poll:${checkpointId}:${name}`) || changed;
    this.lastPoll = { checkpoint: checkpointId, next: [...next] };
    return changed;
  }

  view(): RunPathView {
    const done: Record<string, number> = {};
    for (const [id, n] of this.done) done[id] = n;
    return { running: [...new Set(this.running.values())].sort(), done, path: [...this.path.values()], failed: Object.fromEntries(this.failed) };
  }

  private level(scope: string): Level {
    let level = this.levels.get(scope);
    if (!level) this.levels.set(scope, (level = { last: [], recent: [], started: false }));
    return level;
  }

  /** The model id of a node in a namespace, if the model has it (start and end included). */
  private idOf(ns: string[], name: string): string | undefined {
    const id = [...ns, name].join(PATH_SEPARATOR);
    return this.known.has(id) ? id : undefined;
  }

  /**
   * The model's edges from `from` to `to` in a namespace: between the nodes, or between what
   * stands for them when one is a subgraph the model shows expanded (`__start__ → research:gather`).
   */
  private take(ns: string[], from: string, to: string): void {
    const a = [...ns, from].join(PATH_SEPARATOR);
    const b = [...ns, to].join(PATH_SEPARATOR);
    const inside = (id: string, group: string) => id === group || id.startsWith(group + PATH_SEPARATOR);
    for (const e of this.model.edges) {
      const hit = a === b ? e.source === a && e.target === b : inside(e.source, a) && inside(e.target, b) && !inside(e.target, a) && !inside(e.source, b);
      if (!hit) continue;
      const key = `${e.source}\n${e.target}`;
      if (!this.path.has(key)) this.path.set(key, { source: e.source, target: e.target });
    }
  }

  private task(scope: string, ns: string[], data: Record<string, unknown>): boolean {
    if (typeof data.name !== 'string' || typeof data.id !== 'string') return false;
    this.sawTasks = true;
    if ('result' in data || 'error' in data) return this.finish(scope, ns, data.name, data.id, taskErrorText(data.error));
    return this.start(scope, ns, data.name, data.id);
  }
}

/**
 * The last run's checkpoints among a history page's (newest first): from the newest up to the
 * first of another run. `complete` once one of another run (or the run's input) was seen, so no
 * older page is needed.
 */
export function lastRunOf(checkpoints: readonly CheckpointSummary[]): { runId: string | undefined; items: CheckpointSummary[]; complete: boolean } {
  const runId = checkpoints.find((c) => c.runId)?.runId;
  const items: CheckpointSummary[] = [];
  for (const c of checkpoints) {
    if (c.runId !== runId) return { runId, items, complete: true };
    items.push(c);
    if (c.source === 'input' || c.source === 'fork') return { runId, items, complete: true };
  }
  return { runId, items, complete: false };
}

/**
 * The path of one run from its checkpoints (newest first, one namespace: the root's, or a
 * subgraph's with `ns` its node names): each loop checkpoint's writers are one step. The run
 * reached the end when its newest checkpoint has nothing next.
 */
export function foldCheckpoints(path: RunPath, checkpoints: readonly CheckpointSummary[], ns: string[] = [], scope = ''): void {
  const steps = [...checkpoints].filter((c) => c.source === 'loop' && c.writers).reverse();
  steps.forEach((c, i) => {
    for (const name of c.writers!) {
      if (name === START && ns.length > 0) continue;
      path.finish(scope, ns, name, `${i}:${name}`);
    }
  });
  // The run's newest checkpoint holds the tasks that failed from it (they wrote none of their own).
  for (const e of checkpoints[0]?.errors ?? []) path.finish(scope, ns, e.task, `error:${e.task}`, e.message);
}

/** Checkpoints per history page while looking for the last run's start. */
const PAGE = 20;
/** Subgraph runs whose own histories are read (one page each). */
const MAX_SUBGRAPHS = 8;

/**
 * The path of a thread's last run from its history: root pages newest first only until a
 * checkpoint of another run (or the run's input), then one page of each subgraph run whose nodes
 * the model has (xray), at most 8.
 */
export async function lastRunPath(model: GraphModel, source: HistorySource, signal?: AbortSignal): Promise<RunPathView & { runId: string | undefined }> {
  const pager = new HistoryPager(source, { pageSize: PAGE });
  let run = lastRunOf([]);
  do {
    await pager.next(signal);
    run = lastRunOf(pager.checkpoints);
  } while (!run.complete && pager.hasMore);
  const path = new RunPath(model);
  foldCheckpoints(path, run.items);
  const expanded = new Set(model.subgraphs.filter((s) => s.expandable).map((s) => s.id));
  const subgraphs = [...new Map(run.items.flatMap((c) => c.subgraphs).map((s) => [s.ns, s])).values()];
  for (const sub of subgraphs.filter((s) => expanded.has(s.task)).slice(0, MAX_SUBGRAPHS)) {
    const inner = new HistoryPager(source, { pageSize: 50, checkpointNs: sub.ns });
    await inner.next(signal);
    foldCheckpoints(path, inner.checkpoints, [sub.task], sub.ns);
  }
  path.end(run.items.length > 0 && run.items[0]!.next.length === 0);
  return { ...path.view(), runId: run.runId };
}
