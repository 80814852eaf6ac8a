/**
 * The run tracker: follows background runs until they end and says how each ended, once. Runs
 * are grouped by deployment (a DeploymentWatch each: join cap, one poll loop, backoff); what is
 * followed is persisted through TrackerStorage so that a new tracker (after a window reload)
 * resumes it. No vscode import: the UI listens to onDidEnd / onDidChange / onDidSuspect.
 */
import { canonicalUrl } from '../deployments';
import { isLoopbackUrl } from '../loopback';
import { canonicalRef, type RunEndReport, type RunRef } from '../refs';
import type { RunsBackend } from './backend';
import { clockTimeout, systemClock, type Clock } from './clock';
import { DeploymentWatch, type WatchSettings } from './deploymentWatch';
import { Follower, runKey, type FollowerHost, type StreamedEnd } from './follower';
import { Listeners } from '../listeners';
import { readPersisted, toStored, type PersistedRun, type TrackerStorage } from './storage';
import { messageOf, troubleOf } from './trouble';

/** Joins open at once per deployment; the other runs wait on the deployment's poll. */
export const MAX_OPEN_JOINS = 8;
const RECENT_LIMIT = 20;
/** The JS dev server waits for the run to stop even when asked not to; a stuck run never does. */
const CANCEL_WAIT_MS = 15_000;
export const NOT_STOPPED =
  'The server did not stop it within 15 s. A run cut off by a server restart stays "running" forever: delete it instead.';

export interface TrackedRun extends RunRef {
  label?: string;
  followedAt: number;
  /** `streaming`: a thread panel streams it (the tracker holds no join of its own meanwhile). */
  state: 'waiting' | 'joining' | 'streaming';
  /** The nodes running now, while a panel streams it. */
  nodes?: string[];
  runStatus?: string;
  suspect?: string;
  cancelRequested: boolean;
  /** Its deployment does not answer at the moment (the tracker keeps trying). */
  unreachable?: boolean;
}

export interface TrackerOptions {
  /** The calls for a deployment, or why its runs cannot be followed (not configured any more…). */
  backendFor(deploymentUrl: string): Promise<RunsBackend | string>;
  storage: TrackerStorage;
  clock?: Clock;
  random?: () => number;
  settings?: Partial<WatchSettings>;
}

export type FollowResult =
  | { kind: 'following' | 'already-following'; run: TrackedRun }
  | { kind: 'already-ended'; report: RunEndReport };

export type CancelResult =
  /** The run ended while cancelling (reported through onDidEnd like any end). */
  | { kind: 'ended'; report: RunEndReport }
  /** It had ended before: nothing was sent. */
  | { kind: 'already-ended'; report: RunEndReport }
  /** Asked; the run's end will be reported when it comes. */
  | { kind: 'requested' }
  | { kind: 'not-stopped'; message: string }
  | { kind: 'failed'; message: string };

const DEFAULT_SETTINGS: WatchSettings = {
  maxOpenJoins: MAX_OPEN_JOINS,
  pollMs: 2_000,
  suspectPollMs: 30_000,
  downBackoff: { baseMs: 1_000, capMs: 30_000 },
  staleCheck: { baseMs: 30_000, capMs: 300_000 },
  checkConcurrency: 4,
  loopback: false,
  maxOddFailures: 5,
};

export class RunTracker {
  private readonly followers = new Map<string, Follower>();
  private readonly watches = new Map<string, DeploymentWatch>();
  private recentEnds: RunEndReport[] = [];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly changes = new Listeners<void>();
  private readonly ends = new Listeners<RunEndReport>();
  private readonly suspects = new Listeners<TrackedRun>();
  /** Who waits for a followed run's end (whenEnded), by run key. */
  private readonly endWaiters = new Map<string, ((report: RunEndReport | undefined) => void)[]>();
  private saveQueued = false;
  private disposed = false;
  private readonly host: FollowerHost;

  /** The list of followed runs changed (added, ended, state, suspicion). */
  readonly onDidChange = this.changes.on;
  /** A run ended (once per run). */
  readonly onDidEnd = this.ends.on;
  /** A run came under suspicion of being stuck (once per run). */
  readonly onDidSuspect = this.suspects.on;

  constructor(private readonly options: TrackerOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.host = {
      now: () => this.clock.now(),
      changed: () => this.changed(),
      ended: (f, report) => this.onEnded(f, report),
    };
  }

  /** Follows what the storage holds (after a reload). Returns how many runs it resumed. */
  resume(): number {
    const state = readPersisted(this.options.storage.load());
    const known = new Set(this.recentEnds.map((r) => runKey(r)));
    this.recentEnds = [...this.recentEnds, ...state.recent.filter((r) => !known.has(runKey(r)))].slice(0, RECENT_LIMIT);
    let resumed = 0;
    for (const run of state.runs) {
      const result = this.followPersisted(run);
      if (result.kind === 'following') resumed++;
    }
    this.changed();
    return resumed;
  }

  /** Starts following a run; a run already followed (or just ended) is not followed twice. */
  follow(ref: RunRef, hints: { label?: string } = {}): FollowResult {
    return this.followPersisted({ ...ref, followedAt: this.clock.now(), ...(hints.label ? { label: hints.label } : {}) });
  }

  list(): TrackedRun[] {
    return [...this.followers.values()].sort((a, b) => a.followedAt - b.followedAt).map((f) => this.view(f));
  }

  get(ref: RunRef): TrackedRun | undefined {
    const f = this.followers.get(runKey(canonicalRef(ref)));
    return f ? this.view(f) : undefined;
  }

  /** Recently ended runs, newest first. */
  recent(): RunEndReport[] {
    return [...this.recentEnds];
  }

  /** How a run ended, when it ended lately while followed here (a run given up on did not end). */
  ended(ref: RunRef): RunEndReport | undefined {
    const key = runKey(canonicalRef(ref));
    return this.recentEnds.find((r) => runKey(r) === key && r.outcome !== 'unfollowable');
  }

  /**
   * The end of a run followed here, when the tracker reports it (at once when it ended lately);
   * undefined when it is not followed, or stops being followed without an end (stopFollowing,
   * dispose). A caller that needs a run's outcome waits on this instead of joining it again.
   */
  whenEnded(ref: RunRef): Promise<RunEndReport | undefined> {
    const ended = this.ended(ref);
    if (ended) return Promise.resolve(ended);
    const key = runKey(canonicalRef(ref));
    if (!this.followers.has(key)) return Promise.resolve(undefined);
    return new Promise((resolve) => this.endWaiters.set(key, [...(this.endWaiters.get(key) ?? []), resolve]));
  }

  /**
   * A thread panel streams the run: the tracker closes its join and waits for `streamEnded` or
   * `release` (one connection per run). False when the run is not followed here.
   */
  hold(ref: RunRef): boolean {
    const f = this.followers.get(runKey(canonicalRef(ref)));
    return f?.hold() ?? false;
  }

  /** The nodes a streamed run is in now (shown by the status bar and the runs list). */
  streamProgress(ref: RunRef, nodes: string[]): void {
    const f = this.followers.get(runKey(canonicalRef(ref)));
    if (!f || f.state !== 'streamed' || sameList(f.nodes, nodes)) return;
    f.nodes = nodes;
    this.changed();
  }

  /** The end of a streamed run, as its panel read it. */
  streamEnded(ref: RunRef, facts: StreamedEnd): void {
    const f = this.followers.get(runKey(canonicalRef(ref)));
    if (!f) return;
    f.nodes = undefined;
    f.endFrom(facts);
    if (!f.ended) this.watchOf(f.ref.deploymentUrl).kick();
  }

  /** The panel stopped streaming the run before its end: the tracker joins it again. */
  release(ref: RunRef): void {
    const f = this.followers.get(runKey(canonicalRef(ref)));
    if (!f || f.state !== 'streamed') return;
    f.nodes = undefined;
    f.release();
    this.watchOf(f.ref.deploymentUrl).kick();
  }

  /** Joins open now, per deployment URL. */
  openJoins(deploymentUrl?: string): number {
    if (deploymentUrl) return this.watches.get(canonicalUrl(deploymentUrl))?.openJoins ?? 0;
    return [...this.watches.values()].reduce((n, w) => n + w.openJoins, 0);
  }

  /** Stops following without a report; the run goes on on the server. */
  stopFollowing(ref: RunRef): boolean {
    const f = this.followers.get(runKey(canonicalRef(ref)));
    if (!f) return false;
    f.stop();
    this.forget(f);
    this.settleWaiters(f.key, undefined);
    this.changed();
    return true;
  }

  /**
   * Asks the server to cancel the run (following it if it was not) and reads what really
   * happened. The end itself is reported like any other, as "cancelled" if the run stopped.
   */
  async cancel(ref: RunRef, hints: { label?: string } = {}): Promise<CancelResult> {
    const followed = this.follow(ref, hints);
    if (followed.kind === 'already-ended') return { kind: 'already-ended', report: followed.report };
    const f = this.followers.get(runKey(followed.run))!;
    f.cancelRequested = true;
    this.changed();
    const backend = await this.backendOf(f);
    if (typeof backend === 'string') return { kind: 'failed', message: backend };
    const timeout = clockTimeout(this.clock, CANCEL_WAIT_MS);
    let timedOut = false;
    try {
      await backend.cancel(f.ref.threadId, f.ref.runId, AbortSignal.any([timeout.signal, f.signal]));
    } catch (error) {
      const trouble = troubleOf(error);
      timedOut = trouble === 'aborted' && timeout.signal.aborted;
      if (trouble !== 'not-found' && !timedOut) return f.ended ? this.endedResult(f) : { kind: 'failed', message: messageOf(error) };
    } finally {
      timeout.clear();
    }
    const result = await f.check(backend);
    if (result === 'ended') return this.endedResult(f);
    if (timedOut && result === 'active') {
      this.suspectFollower(f, NOT_STOPPED);
      return { kind: 'not-stopped', message: NOT_STOPPED };
    }
    return { kind: 'requested' };
  }

  /** Deletes the run on the server (the way out for a stuck run) and reports it deleted. */
  async deleteRun(ref: RunRef): Promise<{ ok: true } | { ok: false; message: string }> {
    const key = runKey(canonicalRef(ref));
    const f = this.followers.get(key);
    const backend = await this.backendFor(canonicalRef(ref).deploymentUrl);
    if (typeof backend === 'string') return { ok: false, message: backend };
    try {
      await backend.deleteRun(ref.threadId, ref.runId, f?.signal ?? new AbortController().signal);
    } catch (error) {
      if (troubleOf(error) === 'not-found') {
        f?.end('gone', 'not-found');
        return { ok: true };
      }
      return { ok: false, message: messageOf(error) };
    }
    f?.end('deleted', 'deleted');
    return { ok: true };
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.watches.values()) w.dispose();
    for (const f of this.followers.values()) f.stop();
    this.followers.clear();
    this.watches.clear();
    for (const key of [...this.endWaiters.keys()]) this.settleWaiters(key, undefined);
    this.changes.clear();
    this.ends.clear();
    this.suspects.clear();
  }

  private followPersisted(run: PersistedRun): FollowResult {
    const ref = canonicalRef(run);
    const key = runKey(ref);
    const existing = this.followers.get(key);
    if (existing) {
      if (run.label && !existing.label) existing.label = run.label;
      return { kind: 'already-following', run: this.view(existing) };
    }
    const ended = this.ended(ref);
    if (ended) return { kind: 'already-ended', report: ended };
    if (this.disposed) throw new Error('The run tracker is disposed.');
    const settings = this.settingsFor(ref.deploymentUrl);
    const now = this.clock.now();
    const f = new Follower(ref, run.label, run.followedAt || now, this.host, now + settings.staleCheck.baseMs);
    if (run.suspect) f.suspect = run.suspect;
    if (run.cancelRequested) f.cancelRequested = true;
    this.followers.set(key, f);
    this.watchOf(ref.deploymentUrl).add(f);
    this.changed();
    return { kind: 'following', run: this.view(f) };
  }

  private watchOf(url: string): DeploymentWatch {
    let watch = this.watches.get(url);
    if (!watch) {
      watch = new DeploymentWatch(
        url,
        () => this.backendFor(url),
        this.clock,
        this.settingsFor(url),
        this.random,
        (f) => this.suspects.fire(this.view(f)),
        () => this.changed(),
      );
      this.watches.set(url, watch);
    }
    return watch;
  }

  private settingsFor(url: string): WatchSettings {
    return { ...DEFAULT_SETTINGS, loopback: isLoopbackUrl(url), ...this.options.settings };
  }

  private backendFor(url: string): Promise<RunsBackend | string> {
    return this.options.backendFor(url).catch((error: unknown) => messageOf(error));
  }

  private backendOf(f: Follower): Promise<RunsBackend | string> {
    return this.watchOf(f.ref.deploymentUrl).backendOrReason();
  }

  private suspectFollower(f: Follower, reason: string): void {
    const first = !f.suspect;
    f.markSuspect(reason);
    if (first) this.suspects.fire(this.view(f));
  }

  private endedResult(f: Follower): CancelResult {
    const report = this.recentEnds.find((r) => runKey(r) === f.key);
    return report ? { kind: 'ended', report } : { kind: 'requested' };
  }

  private onEnded(f: Follower, report: RunEndReport): void {
    this.forget(f);
    this.recentEnds = [report, ...this.recentEnds.filter((r) => runKey(r) !== f.key)].slice(0, RECENT_LIMIT);
    this.changed();
    this.settleWaiters(f.key, report);
    this.ends.fire(report);
  }

  private settleWaiters(key: string, report: RunEndReport | undefined): void {
    const waiters = this.endWaiters.get(key);
    this.endWaiters.delete(key);
    for (const resolve of waiters ?? []) resolve(report);
  }

  private forget(f: Follower): void {
    this.followers.delete(f.key);
    const watch = this.watches.get(f.ref.deploymentUrl);
    watch?.remove(f);
    watch?.kick();
  }

  /** Fires onDidChange and saves, both at most once per turn of the event loop. */
  private changed(): void {
    if (this.disposed || this.saveQueued) return;
    this.saveQueued = true;
    queueMicrotask(() => {
      this.saveQueued = false;
      if (this.disposed) return;
      try {
        void Promise.resolve(this.options.storage.save(toStored(this.snapshot()))).catch(() => undefined);
      } catch {
        // Storage is best effort: following goes on without it.
      }
      this.changes.fire();
    });
  }

  private view(f: Follower): TrackedRun {
    return {
      ...f.ref,
      followedAt: f.followedAt,
      state: f.state === 'joining' ? 'joining' : f.state === 'streamed' ? 'streaming' : 'waiting',
      ...(f.nodes?.length ? { nodes: f.nodes } : {}),
      cancelRequested: f.cancelRequested,
      ...(f.label ? { label: f.label } : {}),
      ...(f.runStatus ? { runStatus: f.runStatus } : {}),
      ...(f.suspect ? { suspect: f.suspect } : {}),
      ...(this.watches.get(f.ref.deploymentUrl)?.isDown ? { unreachable: true } : {}),
    };
  }

  private snapshot(): { version: 1; runs: PersistedRun[]; recent: RunEndReport[] } {
    const runs = this.list().map((r) => ({
      deploymentUrl: r.deploymentUrl,
      threadId: r.threadId,
      runId: r.runId,
      followedAt: r.followedAt,
      ...(r.label ? { label: r.label } : {}),
      ...(r.suspect ? { suspect: r.suspect } : {}),
      ...(r.cancelRequested ? { cancelRequested: true } : {}),
    }));
    return { version: 1, runs, recent: this.recentEnds };
  }
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return (a?.length ?? 0) === b.length && b.every((x, i) => a?.[i] === x);
}
