/**
 * Runs run files as tests: each on a new thread of one deployment; every run goes to the server at
 * once (the short requests take turns in a small lane), the run tracker follows them (its joins
 * capped, the rest polled) and says when each ended (bounded by the file's `timeoutSeconds`); then
 * the thread is read and the file's `expect` checked (expectations.ts). No vscode: the command-line
 * runner (src/cli) and the Testing view (src/ui/testing) both run files this one way.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isApiError, type AgentServerClient, type Run, type RunCreate } from '../../api';
import type { RunRef } from '../refs';
import { outcomeOf, RUN_WORDS } from '../runOutcome';
import { decodeRunFile, parseRunFile, type RunFile, type RunFileProblem } from './index';
import { evaluateExpectations, type ExpectationResult, type RunEnd } from './expectations';
import { clientBackend } from '../tracker/backend';
import { MemoryStorage } from '../tracker/storage';
import { RunTracker } from '../tracker/tracker';

/** A run with no `timeoutSeconds` is given this long. */
export const DEFAULT_TIMEOUT_SECONDS = 300;

export interface FoundFile {
  /** The path under the folder, with "/" (what lines and JUnit name). */
  name: string;
  path: string;
}

export type LoadedFile = FoundFile & ({ ok: true; file: RunFile } | { ok: false; problems: RunFileProblem[] });

export interface FileResult {
  name: string;
  /** pass: every expectation held; fail: one did not; error: the run could not be made or read. */
  verdict: 'pass' | 'fail' | 'error';
  elapsedMs: number;
  results: ExpectationResult[];
  /** Why it could not run (verdict 'error'). */
  error?: string;
  threadId?: string;
  runId?: string;
  /** The caller cancelled before the run ended (verdict 'error'). */
  cancelled?: boolean;
}

/** `*.run.json` under `folder`, sorted, skipping node_modules and dot folders. */
export async function findRunFiles(folder: string): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') await visit(path);
      } else if (entry.isFile() && entry.name.endsWith('.run.json')) {
        found.push({ name: relative(folder, path).split(sep).join('/'), path });
      }
    }
  };
  await visit(folder);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

export async function loadRunFile(found: FoundFile): Promise<LoadedFile> {
  const decoded = decodeRunFile(await readFile(found.path));
  if (!decoded.ok) return { ...found, ok: false, problems: [decoded.problem] };
  const parsed = parseRunFile(decoded.text);
  return parsed.ok ? { ...found, ok: true, file: parsed.file } : { ...found, ok: false, problems: parsed.problems };
}

/** Calls `work` at most `limit` at a time (the others wait their turn), in the order asked. */
export function limiter(limit: number): <R>(work: () => Promise<R>) => Promise<R> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (work) => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await work();
    } finally {
      // The slot passes to the next in line (active stays) or is freed.
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Short requests (a run's creation, the final thread read) in flight at once, by default. */
export const REQUEST_CONCURRENCY = 4;

/** How files are run: on which deployment, with which tracker, and what a caller adds. */
export interface TestRunner {
  client: AgentServerClient;
  /** The deployment's id, as the tracker's refs name it. */
  deploymentUrl: string;
  /** Waits for each run's end (its joins are capped; the runs are not joined a second time here). */
  tracker: RunTracker;
  /** Hands a run to the tracker (the extension: RunTracking.follow, so the status bar shows it). */
  follow?: (ref: RunRef, label: string, created: Run) => void;
  /** The short requests' lane, shared by every file of one run (limiter(REQUEST_CONCURRENCY)). */
  requests: <R>(work: () => Promise<R>) => Promise<R>;
  /** The body as the caller sends it (the extension: withLiveOptions, as its run-file command does). */
  body?: (body: RunCreate) => RunCreate;
  /** The run was made. */
  onRun?: (ref: RunRef, created: Run) => void;
  /** Stops waiting: the run is cancelled on the server, the file reported `cancelled`. */
  signal?: AbortSignal;
}

/** A tracker of its own over `client` (the CLI, the bench): no storage, no transport retries (as the extension's). */
export function trackerFor(client: AgentServerClient): RunTracker {
  return new RunTracker({ backendFor: async () => clientBackend(client.withRetries(0)), storage: new MemoryStorage() });
}

/**
 * One file: its run on a new thread (one request: the thread is made with it, `if_not_exists`),
 * handed to the tracker, whose end (up to the time limit; past it the run is cancelled) comes with
 * the run's status and error; then the thread's values and interrupts, checked against `expect`.
 * Nothing holds a connection for the run here: the tracker's joins are capped, the rest is polled.
 */
export async function runFileAsTest(runner: TestRunner, name: string, file: RunFile, assistant: string): Promise<FileResult> {
  const { client, tracker, signal } = runner;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const threadId = randomUUID();
  const limitSeconds = file.expect?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  let runId: string | undefined;
  const cancelled = (): FileResult => ({ name, verdict: 'error', elapsedMs: elapsed(), results: [], error: 'cancelled', cancelled: true, threadId, ...(runId ? { runId } : {}) });
  try {
    if (signal?.aborted) return cancelled();
    const plain: RunCreate = { ...(file.body as Omit<RunCreate, 'assistant_id'>), assistant_id: file.assistantId ?? assistant };
    const body = { ...(runner.body ? runner.body(plain) : plain), if_not_exists: 'create' as const };
    // A cancel that comes while the file waits its turn in the lane sends nothing.
    const run = await runner.requests(async () => (signal?.aborted ? undefined : client.runs.create(threadId, body)));
    if (!run) return cancelled();
    runId = run.run_id;
    const ref: RunRef = { deploymentUrl: runner.deploymentUrl, threadId, runId };
    (runner.follow ?? ((r, label) => tracker.follow(r, { label })))(ref, name, run);
    runner.onRun?.(ref, run);
    const ending = tracker.whenEnded(ref);
    const stop = await untilLimit(ending, limitSeconds * 1000, signal);
    if (stop !== 'ended') {
      // Not left running on the server for the rest of its time.
      await tracker.cancel(ref, { label: name }).catch(() => undefined);
      if (stop === 'cancelled') return cancelled();
      const end: RunEnd = { outcome: 'timed-out', values: undefined, interrupts: [], elapsedMs: elapsed(), timedOut: true };
      return finish(name, end, file, threadId, runId);
    }
    const report = await ending;
    const elapsedMs = elapsed();
    if (!report) throw new Error('The run tracker stopped following the run.');
    if (report.outcome === 'gone' || report.outcome === 'deleted' || report.outcome === 'unfollowable') {
      throw new Error(report.error ?? `The run ${RUN_WORDS[report.outcome].says}.`);
    }
    const thread = await runner.requests(() => client.threads.get(threadId));
    const interrupts = Object.values(thread.interrupts ?? {}).flat().map((i) => i.value);
    // A new thread left "interrupted" waits for input: at interrupt() (values) or a breakpoint (none).
    const { outcome, error } = outcomeOf({ runStatus: report.status, threadStatus: thread.status, error: report.error, cancelRequested: report.outcome === 'cancelled' });
    const end: RunEnd = { outcome, values: thread.values, interrupts, elapsedMs, ...(error !== undefined ? { error } : {}) };
    return finish(name, end, file, threadId, runId);
  } catch (error) {
    if (signal?.aborted) return cancelled();
    const message = isApiError(error) ? error.message : (error as Error).message;
    return { name, verdict: 'error', elapsedMs: elapsed(), results: [], error: message, threadId, ...(runId ? { runId } : {}) };
  }
}

/** Whether the run ended first, or the time limit came, or the caller cancelled. */
function untilLimit(ending: Promise<unknown>, ms: number, signal: AbortSignal | undefined): Promise<'ended' | 'timed-out' | 'cancelled'> {
  return new Promise((resolve) => {
    // A real timer (not unref'd): it keeps the CLI's process alive while runs wait on the tracker's poll.
    const timer = setTimeout(() => done('timed-out'), ms);
    const onAbort = (): void => done('cancelled');
    const done = (how: 'ended' | 'timed-out' | 'cancelled'): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(how);
    };
    if (signal?.aborted) return done('cancelled');
    signal?.addEventListener('abort', onAbort);
    void ending.then(() => done('ended'));
  });
}

function finish(name: string, end: RunEnd, file: RunFile, threadId: string, runId: string): FileResult {
  const results = evaluateExpectations(file.expect, end);
  return { name, verdict: results.every((r) => r.pass) ? 'pass' : 'fail', elapsedMs: end.elapsedMs, results, threadId, runId };
}
