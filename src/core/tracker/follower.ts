/**
 * One followed run: its state machine. `waiting` (covered by the deployment's polls, or about to
 * join) → `joining` (one GET …/join open) → `reading` (GET …/runs/{id} after the join answered, or
 * after a poll) → `ended` once the run's real status says it ended, else back to `waiting`; a join
 * that fails goes back to `waiting` too. Only `waiting` runs are joined or polled, so a run whose
 * join has answered is not joined again while it is read. `streamed`: a thread panel streams the
 * run (one connection per run): its join is closed, and the panel tells the end (`endFrom`) or
 * hands the run back (`release`). It reports its end exactly once.
 */
import type { RunEndReport, RunRef } from '../refs';
import { isActiveRun, outcomeOf, type RunOutcome } from '../runOutcome';
import type { JoinAnswer, RunsBackend } from './backend';
import { messageOf, troubleOf, type Trouble } from './trouble';

export type FollowerState = 'waiting' | 'joining' | 'reading' | 'streamed' | 'ended';

/** What a join or a check found: the run ended, is still active, or the call failed. */
export type CheckResult = 'ended' | 'active' | Trouble;

export interface FollowerHost {
  now(): number;
  ended(follower: Follower, report: RunEndReport): void;
  changed(follower: Follower): void;
}

/** What a panel read at the end of a run it streamed. */
export interface StreamedEnd {
  runStatus: string;
  threadStatus?: string;
  interrupts?: boolean;
  question?: string;
  error?: string;
}

export interface CheckHint {
  join?: JoinAnswer;
  /** The thread's status from a poll, read just before. */
  threadStatus?: string;
}

export class Follower {
  state: FollowerState = 'waiting';
  /** Last status read from the server while the run was active. */
  runStatus: string | undefined;
  /** Why the run may be stuck (then it is followed by polls only, never joined). */
  suspect: string | undefined;
  cancelRequested = false;
  /** The server went away while the run was active: check it before joining again. */
  outage = false;
  /** When the tracker saw the server go away (its clock), while `outage`. */
  outageAt: number | undefined;
  /** The run's `updated_at`, as last read. */
  updatedAt: string | undefined;
  /** When a poll should next read this run directly, though its thread still reads busy. */
  nextCheckAt: number;
  checks = 0;
  /** Not joined again before this time (a join that returned while the run was still active). */
  joinNotBefore = 0;
  rejoins = 0;
  /** When the last join was opened. */
  joinedAt = 0;
  /** What the last of them said (for the words when the run is given up). */
  oddError: string | undefined = undefined;
  /** Failures that retrying may not fix ('other'); the run is given up after a few. */
  oddFailures = 0;
  /** The nodes running now, while a panel streams the run. */
  nodes: string[] | undefined;
  private readonly life = new AbortController();
  private joinAbort: AbortController | undefined;
  private checking: Promise<CheckResult> | undefined;

  constructor(
    readonly ref: RunRef,
    public label: string | undefined,
    readonly followedAt: number,
    private readonly host: FollowerHost,
    firstCheckAt: number,
  ) {
    this.nextCheckAt = firstCheckAt;
  }

  get key(): string {
    return runKey(this.ref);
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  /** Holds the join until it answers, then reads the run. Never rejects. */
  async join(backend: RunsBackend): Promise<CheckResult> {
    if (this.ended) return 'ended';
    this.setState('joining');
    const joinAbort = (this.joinAbort = new AbortController());
    let answer: JoinAnswer;
    try {
      answer = await backend.join(this.ref.threadId, this.ref.runId, AbortSignal.any([this.life.signal, joinAbort.signal]));
    } catch (error) {
      if (this.ended) return 'ended';
      // A panel took the run over and closed the join.
      if (this.state === 'streamed') return 'aborted';
      const trouble = troubleOf(error);
      // 404 here means the thread is gone; reading the run tells whether the run is too.
      if (trouble === 'not-found') {
        this.setState('reading');
        return this.check(backend);
      }
      this.setState('waiting');
      if (trouble === 'denied') return this.giveUp(messageOf(error));
      if (trouble === 'other') this.oddError = messageOf(error);
      return trouble;
    }
    if (this.ended) return 'ended';
    if (this.state === 'streamed') return 'aborted';
    // Not `waiting` yet: the scheduler would open a second join while the run is read (the
    // Python server answers a join ≈10 ms after the end, so another join may end meanwhile).
    this.setState('reading');
    return this.check(backend, { join: answer });
  }

  /** Reads the run's real status; reports the end if it ended. One check at a time. Never rejects. */
  check(backend: RunsBackend, hint: CheckHint = {}): Promise<CheckResult> {
    if (this.ended) return Promise.resolve('ended');
    this.checking ??= this.read(backend, hint);
    return this.checking;
  }

  /** The server went away (the first time counts, until the run is read again). */
  markOutage(now: number): void {
    if (this.outage) return;
    this.outage = true;
    this.outageAt = now;
  }

  /**
   * Whether the server changed the run after it went away: the Python dev server puts the runs
   * a crash cut off back to pending when it starts again (and sets their `updated_at`), and runs
   * them again; the JS one leaves them "running" as they were. On loopback (the only place this
   * is asked) the server's clock is this machine's.
   */
  touchedSinceOutage(): boolean {
    const at = Date.parse(this.updatedAt ?? '');
    return this.outageAt !== undefined && Number.isFinite(at) && at > this.outageAt;
  }

  markSuspect(reason: string): void {
    if (this.ended || this.suspect === reason) return;
    this.suspect = reason;
    this.host.changed(this);
  }

  /** A panel streams the run: no join or poll of it until `release` or `endFrom`. False once ended. */
  hold(): boolean {
    if (this.ended) return false;
    if (this.state === 'joining') this.joinAbort?.abort(new Error('streamed'));
    this.setState('streamed');
    return true;
  }

  /** The panel stopped streaming without the end: the tracker follows the run itself again. */
  release(): void {
    if (this.state === 'streamed') this.setState('waiting');
  }

  /**
   * The end as the panel read it at the end of the stream (the run's status, its thread, its
   * interrupts and error): reported with no request of the tracker's own. An active status
   * hands the run back instead.
   */
  endFrom(facts: StreamedEnd): void {
    if (this.ended) return;
    if (isActiveRun(facts.runStatus)) return this.release();
    this.finish(facts.runStatus, facts);
  }

  /** Ends the follower with a report (once). */
  end(outcome: RunOutcome, status: string, extra: Partial<RunEndReport> = {}): void {
    if (this.ended) return;
    this.state = 'ended';
    this.life.abort(new Error('stopped'));
    this.host.ended(this, {
      ...this.ref,
      status,
      outcome,
      endedAt: this.host.now(),
      ...(this.label ? { label: this.label } : {}),
      ...extra,
    });
  }

  /** Stops without a report (stop following, dispose): aborts the open join. */
  stop(): void {
    if (this.ended) return;
    this.state = 'ended';
    this.life.abort(new Error('stopped'));
  }

  giveUp(reason: string): 'ended' {
    this.end('unfollowable', this.runStatus ?? 'unknown', { error: reason });
    return 'ended';
  }

  get signal(): AbortSignal {
    return this.life.signal;
  }

  /** A check of a `waiting` run is `reading` until it answers (one of a `joining` run stays `joining`). */
  private async read(backend: RunsBackend, hint: CheckHint): Promise<CheckResult> {
    if (this.state === 'waiting') this.setState('reading');
    try {
      return await this.doCheck(backend, hint);
    } finally {
      this.checking = undefined;
      if (this.state === 'reading') this.setState('waiting');
    }
  }

  private async doCheck(backend: RunsBackend, hint: CheckHint): Promise<CheckResult> {
    const { threadId, runId } = this.ref;
    let status: string;
    try {
      const run = await backend.getRun(threadId, runId, this.life.signal);
      status = run.status;
      this.updatedAt = run.updatedAt;
    } catch (error) {
      if (this.ended) return 'ended';
      const trouble = troubleOf(error);
      if (trouble === 'not-found') {
        this.end('gone', 'not-found');
        return 'ended';
      }
      if (trouble === 'denied') return this.giveUp(messageOf(error));
      if (trouble === 'other') this.oddError = messageOf(error);
      return trouble;
    }
    if (this.ended) return 'ended';
    if (isActiveRun(status)) {
      if (this.runStatus !== status) {
        this.runStatus = status;
        this.host.changed(this);
      }
      return 'active';
    }
    // The join tells interrupts and errors; without it, ask the thread (best effort).
    let threadStatus = hint.threadStatus ?? (hint.join?.kind === 'interrupted' ? 'interrupted' : undefined);
    let error: string | undefined;
    if (!hint.join && status === 'success' && threadStatus === undefined) {
      threadStatus = await backend.threadStatuses([threadId], this.life.signal).then((m) => m.get(threadId), () => undefined);
    }
    if (!hint.join?.message && status === 'error' && !this.cancelRequested) {
      error = await backend.runError(threadId, this.life.signal).catch(() => undefined);
    }
    let question = hint.join?.question;
    let interrupts: boolean | undefined;
    if (!hint.join && status === 'success' && threadStatus === 'interrupted') {
      // null: not read (the thread's status speaks alone); undefined: it waits at no interrupt.
      const waiting = await backend.question(threadId, this.life.signal).catch(() => null);
      if (waiting !== null) {
        interrupts = waiting !== undefined;
        question = waiting?.question;
      }
    }
    if (this.ended) return 'ended';
    this.finish(status, {
      threadStatus: hint.join?.kind === 'interrupted' ? 'interrupted' : threadStatus,
      ...(interrupts !== undefined ? { interrupts } : {}),
      error: hint.join?.message ?? error,
      question,
    });
    return 'ended';
  }

  private finish(status: string, facts: Omit<StreamedEnd, 'runStatus'>): void {
    const { outcome, error: message } = outcomeOf({
      runStatus: status,
      threadStatus: facts.threadStatus,
      ...(facts.interrupts !== undefined ? { interrupts: facts.interrupts } : {}),
      cancelRequested: this.cancelRequested,
      error: facts.error,
    });
    this.end(outcome, status, {
      ...(facts.threadStatus ? { threadStatus: facts.threadStatus } : {}),
      ...(message ? { error: message } : {}),
      ...(facts.question ? { question: facts.question } : {}),
    });
  }

  private setState(state: FollowerState): void {
    if (this.state === state) return;
    this.state = state;
    this.host.changed(this);
  }
}

export function runKey(ref: RunRef): string {
  return `${ref.deploymentUrl}|${ref.runId}`;
}
