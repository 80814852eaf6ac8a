/** Fake time and a scripted Agent Server for the tracker's unit tests. */
import { ApiError } from '../../../src/api';
import type { JoinAnswer, RunsBackend, RunSnapshot } from '../../../src/core/tracker/backend';
import type { Clock } from '../../../src/core/tracker/clock';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** Lets pending promise callbacks run (several turns: chains of awaits). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  t = 1_000_000;
  private timers: Timer[] = [];
  private nextId = 1;

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** When the next timer fires, or undefined. */
  nextAt(): number | undefined {
    return this.timers.length ? Math.min(...this.timers.map((t) => t.at)) : undefined;
  }

  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing timers in order and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.t = next.at;
      this.timers = this.timers.filter((t) => t !== next);
      next.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

interface FakeRun {
  threadId: string;
  status: string;
  threadStatus: string;
  error?: string;
  /** The thread reads "interrupted" but waits at no interrupt (Python, after a cancel). */
  noInterrupts?: boolean;
  updatedAt?: string;
}

interface OpenJoin {
  runId: string;
  resolve: (answer: JoinAnswer) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal;
}

const networkError = (path: string) =>
  new ApiError('Cannot connect to http://127.0.0.1:2024: connection refused. Is the server running?', {
    kind: 'network',
    method: 'GET',
    path,
    code: 'ECONNREFUSED',
  });
const lostError = (path: string) =>
  new ApiError('The connection was lost', { kind: 'network', method: 'GET', path, code: 'UND_ERR_SOCKET' });
const abortedError = (path: string) => new ApiError('Cancelled.', { kind: 'aborted', method: 'GET', path });
const notFound = (path: string) =>
  new ApiError('404 Not Found: Run not found', { kind: 'http', status: 404, method: 'GET', path, serverMessage: 'Run not found' });

/**
 * A scripted server: runs with a status, joins that stay open until the test ends the run (or
 * drops them), and a log of every call in order.
 */
export class FakeBackend implements RunsBackend {
  readonly calls: string[] = [];
  readonly runs = new Map<string, FakeRun>();
  readonly joins: OpenJoin[] = [];
  down = false;
  /** Cancel never answers (a stuck run on the JS server). */
  cancelHangs = false;
  /** Which server's cancel of a running run: JS ends it `error` ("interrupt"), Python `interrupted` (its thread too). */
  cancelLike: 'js' | 'python' = 'js';
  maxOpenJoins = 0;

  addRun(runId: string, threadId = `t-${runId}`, status = 'running'): void {
    this.runs.set(runId, { threadId, status, threadStatus: 'busy' });
  }

  openJoinCount(): number {
    return this.joins.length;
  }

  count(prefix: string): number {
    return this.calls.filter((c) => c.startsWith(prefix)).length;
  }

  /** Ends a run: its status changes and its open joins answer. */
  finish(runId: string, status: string, answer: JoinAnswer = { kind: 'values' }, threadStatus = status === 'error' ? 'error' : 'idle'): void {
    const run = this.runs.get(runId)!;
    run.status = status;
    run.threadStatus = threadStatus;
    if (answer.kind === 'error') run.error = answer.message;
    for (const j of this.joins.filter((j) => j.runId === runId)) {
      this.removeJoin(j);
      j.resolve(answer);
    }
  }

  /** The server dies: open joins fail like a dropped connection, and it refuses everything. */
  kill(): void {
    this.down = true;
    for (const j of [...this.joins]) {
      this.removeJoin(j);
      j.reject(lostError('/join'));
    }
  }

  async join(threadId: string, runId: string, signal: AbortSignal): Promise<JoinAnswer> {
    this.calls.push(`join ${runId}`);
    if (this.down) throw networkError('/join');
    const run = this.runs.get(runId);
    if (!run || run.threadId !== threadId) return { kind: 'not-found' };
    if (run.status !== 'pending' && run.status !== 'running') return { kind: 'values' };
    return new Promise<JoinAnswer>((resolve, reject) => {
      const open: OpenJoin = { runId, resolve, reject, signal };
      this.joins.push(open);
      this.maxOpenJoins = Math.max(this.maxOpenJoins, this.joins.length);
      signal.addEventListener('abort', () => {
        this.removeJoin(open);
        reject(abortedError('/join'));
      });
    });
  }

  async getRun(_threadId: string, runId: string): Promise<RunSnapshot> {
    this.calls.push(`get ${runId}`);
    if (this.down) throw networkError('/runs');
    const run = this.runs.get(runId);
    if (!run) throw notFound('/runs');
    return { status: run.status, ...(run.updatedAt ? { updatedAt: run.updatedAt } : {}) };
  }

  async threadStatuses(threadIds: readonly string[]): Promise<Map<string, string>> {
    this.calls.push(`threads ${[...threadIds].sort().join(',')}`);
    if (this.down) throw networkError('/threads/search');
    const out = new Map<string, string>();
    for (const run of this.runs.values()) if (threadIds.includes(run.threadId)) out.set(run.threadId, run.threadStatus);
    return out;
  }

  async runError(threadId: string): Promise<string | undefined> {
    this.calls.push(`state ${threadId}`);
    return [...this.runs.values()].find((r) => r.threadId === threadId)?.error;
  }

  async question(threadId: string): Promise<{ question?: string } | undefined> {
    this.calls.push(`question ${threadId}`);
    const run = [...this.runs.values()].find((r) => r.threadId === threadId);
    return run?.threadStatus === 'interrupted' && !run.noInterrupts ? { question: 'Approve?' } : undefined;
  }

  async cancel(_threadId: string, runId: string, signal: AbortSignal): Promise<void> {
    this.calls.push(`cancel ${runId}`);
    if (this.down) throw networkError('/cancel');
    if (!this.runs.has(runId)) throw notFound('/cancel');
    if (this.cancelHangs) {
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(abortedError('/cancel'))));
    }
    const run = this.runs.get(runId)!;
    if (run.status === 'pending') this.finish(runId, 'interrupted', { kind: 'values' }, 'idle');
    else if (run.status === 'running' && this.cancelLike === 'python') {
      run.noInterrupts = true;
      this.finish(runId, 'interrupted', { kind: 'values' }, 'interrupted');
    } else if (run.status === 'running') this.finish(runId, 'error', { kind: 'error', message: 'interrupt' }, 'error');
  }

  async deleteRun(_threadId: string, runId: string): Promise<void> {
    this.calls.push(`delete ${runId}`);
    if (!this.runs.delete(runId)) throw notFound('/runs');
  }

  private removeJoin(j: OpenJoin): void {
    const i = this.joins.indexOf(j);
    if (i >= 0) this.joins.splice(i, 1);
  }
}
