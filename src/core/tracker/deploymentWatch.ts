/**
 * Everything the tracker does for one deployment: it caps the joins open at once, and one poll
 * loop (one thread search for all the runs not joined) covers the runs that wait for a join slot,
 * the runs under suspicion, and the whole deployment when it stops answering. While the server is
 * away the loop backs off with jitter (1 s → 30 s); when it answers, runs are checked and joined again.
 */
import { backoffDelay, type BackoffOptions } from '../../api';
import type { RunsBackend } from './backend';
import type { Clock } from './clock';
import type { CheckHint, CheckResult, Follower } from './follower';
import { clip } from '../../shared/text';
import { messageOf, troubleOf } from './trouble';

export interface WatchSettings {
  maxOpenJoins: number;
  /** Poll period while runs wait for a join slot. */
  pollMs: number;
  /** Poll period when the only runs not joined are suspected stuck. */
  suspectPollMs: number;
  /** Backoff of the poll while the server does not answer. */
  downBackoff: BackoffOptions;
  /** A run whose thread stays busy is still read directly now and then (another run may hold the thread). */
  staleCheck: BackoffOptions;
  /** Short calls (status reads) in flight at once per deployment. */
  checkConcurrency: number;
  /** Loopback servers have no proxy in between: a dropped join means the server went away. */
  loopback: boolean;
  /** Give a run up after this many failures that retrying does not fix. */
  maxOddFailures: number;
}

/** Resolves the deployment's backend, or says why it cannot be followed. */
export type BackendResolver = () => Promise<RunsBackend | string>;

/** A join that stayed open this long worked: its drop starts the rejoin backoff afresh. */
const REJOIN_RESET_MS = 30_000;

export const STUCK_AFTER_OUTAGE =
  'The server went away while this run was running, and it still reads "running" without the server having taken it up again (the JS dev server never resumes such runs): it may never end.';
export const STUCK_THREAD_IDLE = 'It reads "running" while its thread is not busy: the server is no longer running it.';

export class DeploymentWatch {
  readonly followers = new Map<string, Follower>();
  openJoins = 0;
  /** Consecutive polls that got no answer. */
  private failures = 0;
  private down = false;
  private timer: unknown;
  private dueAt = Infinity;
  private polling = false;
  private backend: RunsBackend | undefined;
  private resolving: Promise<RunsBackend | string> | undefined;
  private disposed = false;
  private readonly life = new AbortController();

  constructor(
    readonly url: string,
    private readonly resolve: BackendResolver,
    private readonly clock: Clock,
    private readonly settings: WatchSettings,
    private readonly random: () => number,
    private readonly onSuspect: (follower: Follower) => void,
    /** Called when the deployment stops or starts answering. */
    private readonly onReachability: () => void,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  add(follower: Follower): void {
    this.followers.set(follower.key, follower);
    this.kick();
  }

  remove(follower: Follower): void {
    this.followers.delete(follower.key);
  }

  /** Joins what can be joined now and plans the next poll. */
  kick(): void {
    void this.pump();
  }

  /** The backend, resolved once (a failure is not kept: the deployment may be configured again). */
  async backendOrReason(): Promise<RunsBackend | string> {
    if (this.backend) return this.backend;
    this.resolving ??= this.resolve()
      .catch((error: unknown) => messageOf(error))
      .finally(() => (this.resolving = undefined));
    const resolved = await this.resolving;
    if (typeof resolved !== 'string') this.backend ??= resolved;
    return this.backend ?? resolved;
  }

  dispose(): void {
    this.disposed = true;
    this.life.abort(new Error('disposed'));
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async pump(): Promise<void> {
    const backend = await this.backendOrReason();
    if (this.disposed) return;
    if (typeof backend === 'string') {
      for (const f of [...this.followers.values()]) f.giveUp(backend);
      return;
    }
    if (!this.down) {
      for (const f of this.joinable()) {
        if (this.openJoins >= this.settings.maxOpenJoins) break;
        this.startJoin(f, backend);
      }
    }
    this.plan();
  }

  private startJoin(f: Follower, backend: RunsBackend): void {
    this.openJoins++;
    f.joinedAt = this.clock.now();
    void f.join(backend).then((result) => {
      this.openJoins--;
      this.afterJoin(f, result);
      this.kick();
    });
  }

  private afterJoin(f: Follower, result: CheckResult): void {
    if (f.ended) return;
    const now = this.clock.now();
    if (result === 'unreachable') {
      if (this.settings.loopback) f.markOutage(now);
      // Not joined again at once (a dead server would refuse it in a loop): a poll soon says
      // whether the server is there; a proxy that dropped a long join costs one poll.
      if (now - f.joinedAt > REJOIN_RESET_MS) f.rejoins = 0;
      f.joinNotBefore = now + backoffDelay(f.rejoins++, { ...this.settings.downBackoff, random: this.random });
      this.planAt(now + backoffDelay(0, { ...this.settings.downBackoff, random: this.random }));
    } else if (result === 'active') {
      // The join answered but the run still runs: do not spin on joins.
      f.joinNotBefore = now + backoffDelay(f.rejoins++, { ...this.settings.downBackoff, random: this.random });
    } else if (result === 'other') {
      this.oddFailure(f, 'the server kept answering in a way the tracker cannot read');
    }
  }

  private oddFailure(f: Follower, reason: string): void {
    if (++f.oddFailures >= this.settings.maxOddFailures) f.giveUp(f.oddError ? `${reason} (last: ${clip(f.oddError, 300)})` : reason);
  }

  /** Waiting runs that may take a join slot, oldest first. */
  private joinable(): Follower[] {
    const now = this.clock.now();
    return [...this.followers.values()]
      .filter((f) => f.state === 'waiting' && !f.suspect && !f.outage && f.joinNotBefore <= now)
      .sort((a, b) => a.followedAt - b.followedAt);
  }

  private waiting(): Follower[] {
    return [...this.followers.values()].filter((f) => f.state === 'waiting');
  }

  /** Sets the poll timer for the next time it is needed (only if there are runs not joined). */
  private plan(): void {
    // A run being read is counted: it may be `waiting` again in a moment, with nothing else to kick the loop.
    const waiting = [...this.followers.values()].filter((f) => f.state === 'waiting' || f.state === 'reading');
    if (waiting.length === 0) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.dueAt = Infinity;
      return;
    }
    const now = this.clock.now();
    if (this.down) return this.planAt(now + backoffDelay(Math.max(0, this.failures - 1), { ...this.settings.downBackoff, random: this.random }));
    const onlySuspects = waiting.every((f) => f.suspect);
    this.planAt(now + (onlySuspects ? this.settings.suspectPollMs : this.settings.pollMs));
  }

  private planAt(at: number): void {
    if (this.disposed || this.polling) return;
    if (this.timer !== undefined && this.dueAt <= at) return;
    this.clock.clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.dueAt = Infinity;
      void this.poll();
    }, Math.max(0, at - this.clock.now()));
  }

  /** One thread search for every run not joined; then direct reads only where something changed. */
  private async poll(): Promise<void> {
    const backend = this.backend;
    const waiting = this.waiting();
    if (!backend || waiting.length === 0 || this.disposed) return this.plan();
    this.polling = true;
    try {
      const ids = [...new Set(waiting.map((f) => f.ref.threadId))];
      let statuses: Map<string, string> | undefined;
      try {
        statuses = await backend.threadStatuses(ids, this.signal());
      } catch (error) {
        const trouble = troubleOf(error);
        if (trouble === 'unreachable') {
          this.failures++;
          this.setDown(true);
          const now = this.clock.now();
          for (const f of this.followers.values()) f.markOutage(now);
          return;
        }
        if (trouble === 'denied') {
          for (const f of [...this.followers.values()]) f.giveUp(messageOf(error));
          return;
        }
        // A server that cannot search by ids: read each run instead.
        statuses = undefined;
      }
      this.failures = 0;
      this.setDown(false);
      const now = this.clock.now();
      const due: [Follower, CheckHint][] = [];
      for (const f of waiting) {
        if (f.ended) continue;
        const threadStatus = statuses?.get(f.ref.threadId);
        if (!statuses || threadStatus === undefined || threadStatus !== 'busy') due.push([f, threadStatus ? { threadStatus } : {}]);
        else if (f.outage || f.nextCheckAt <= now) due.push([f, { threadStatus }]);
      }
      await eachLimited(due, this.settings.checkConcurrency, async ([f, hint]) => {
        const result = await f.check(backend, hint);
        this.afterCheck(f, result, hint);
      });
    } finally {
      this.polling = false;
      if (!this.disposed) this.kick();
    }
  }

  private afterCheck(f: Follower, result: CheckResult, hint: CheckHint): void {
    if (f.ended) return;
    if (result === 'other') return this.oddFailure(f, 'the server kept answering in a way the tracker cannot read');
    if (result !== 'active') return;
    const running = f.runStatus === 'running';
    if (f.outage) {
      const retried = f.touchedSinceOutage();
      f.outage = false;
      f.outageAt = undefined;
      // Only a dev server (on loopback) loses runs that way; hosted servers retry them, and so
      // does the Python dev server (it touched the run when it came back): those are joined.
      if (running && this.settings.loopback && !retried) this.suspect(f, STUCK_AFTER_OUTAGE);
    } else if (running && hint.threadStatus !== undefined && hint.threadStatus !== 'busy') {
      this.suspect(f, STUCK_THREAD_IDLE);
    }
    f.nextCheckAt = this.clock.now() + backoffDelay(f.checks++, { ...this.settings.staleCheck, random: this.random });
  }

  private setDown(down: boolean): void {
    if (this.down === down) return;
    this.down = down;
    this.onReachability();
  }

  private suspect(f: Follower, reason: string): void {
    const first = !f.suspect;
    f.markSuspect(reason);
    if (first) this.onSuspect(f);
  }

  /** Polls are short calls: the transport's deadline applies; dispose stops waiting for them. */
  private signal(): AbortSignal {
    return this.life.signal;
  }
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
