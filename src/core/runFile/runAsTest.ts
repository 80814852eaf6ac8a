/**
 * Runs run files as tests: each on a new thread of one deployment, at most `concurrency` at once;
 * waits for each run's end with the join (bounded by the file's `timeoutSeconds`), reads the run
 * and its thread, and checks the file's `expect` (expectations.ts). No vscode: the command-line runner (src/cli)
 * and the Testing view (src/ui/testing) both run files this one way.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isApiError, type AgentServerClient, type Run, type RunCreate } from '../../api';
import { outcomeOf } from '../runOutcome';
import { decodeRunFile, parseRunFile, type RunFile, type RunFileProblem } from './index';
import { evaluateExpectations, type ExpectationResult, type RunEnd } from './expectations';
import { clientBackend } from '../tracker/backend';

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

/** Calls `work` on every item, at most `limit` at once; results in the items' order. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** What a caller other than the CLI (the Testing view, src/ui/testing) adds to one file's run. */
export interface RunHooks {
  /** The body as the caller sends it (the extension: withLiveOptions, as its run-file command does). */
  body?: (body: RunCreate) => RunCreate;
  /** The run was made (the extension hands it to its tracker, and cancels it on request). */
  onRun?: (run: Run, threadId: string) => void;
}

/**
 * One file: a new thread, a background run, its join (aborted at the time limit, and the run then
 * cancelled), the run's status and the thread's values and interrupts, checked against `expect`.
 */
export async function runFileAsTest(client: AgentServerClient, name: string, file: RunFile, assistant: string, hooks: RunHooks = {}): Promise<FileResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const threadId = randomUUID();
  const limitSeconds = file.expect?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  let runId: string | undefined;
  try {
    const plain: RunCreate = { ...(file.body as Omit<RunCreate, 'assistant_id'>), assistant_id: file.assistantId ?? assistant };
    const body = hooks.body ? hooks.body(plain) : plain;
    await client.threads.create({ threadId, ifExists: 'raise' });
    const run = await client.runs.create(threadId, body);
    runId = run.run_id;
    hooks.onRun?.(run, threadId);
    const timer = AbortSignal.timeout(limitSeconds * 1000);
    let joinError: string | undefined;
    let joinInterrupts: unknown[] = [];
    try {
      const answer = await client.runs.join(threadId, runId, { signal: timer });
      joinInterrupts = (answer.interrupts ?? []).map((i) => i.value);
    } catch (error) {
      if (timer.aborted) {
        const end: RunEnd = { outcome: 'timed-out', values: undefined, interrupts: [], elapsedMs: elapsed(), timedOut: true };
        // Not left running on the server for the rest of its time.
        await client.runs.cancel(threadId, runId).catch(() => undefined);
        return finish(name, end, file, threadId, runId);
      }
      if (!isApiError(error) || error.kind !== 'run-failed') throw error;
      joinError = error.message;
    }
    const elapsedMs = elapsed();
    const [runRead, thread] = await Promise.all([client.runs.get(threadId, runId), client.threads.get(threadId)]);
    const threadInterrupts = Object.values(thread.interrupts ?? {}).flat().map((i) => i.value);
    const interrupts = threadInterrupts.length > 0 ? threadInterrupts : joinInterrupts;
    // A join of a run that already ended answers the thread's values (JS): the error is in the state then.
    const error = runRead.status === 'error' ? (joinError ?? (await clientBackend(client).runError(threadId, AbortSignal.timeout(30_000)))) : undefined;
    // A new thread left "interrupted" waits for input: at interrupt() (values) or a breakpoint (none).
    const { outcome } = outcomeOf({ runStatus: runRead.status, threadStatus: thread.status, error });
    const end: RunEnd = { outcome, values: thread.values, interrupts, elapsedMs, ...(error !== undefined ? { error } : {}) };
    return finish(name, end, file, threadId, runId);
  } catch (error) {
    const message = isApiError(error) ? error.message : (error as Error).message;
    return { name, verdict: 'error', elapsedMs: elapsed(), results: [], error: message, threadId, ...(runId ? { runId } : {}) };
  }
}

function finish(name: string, end: RunEnd, file: RunFile, threadId: string, runId: string): FileResult {
  const results = evaluateExpectations(file.expect, end);
  return { name, verdict: results.every((r) => r.pass) ? 'pass' : 'fail', elapsedMs: end.elapsedMs, results, threadId, runId };
}
