/**
 * The few Agent Server calls the tracker makes, as a small interface: the real one wraps an
 * AgentServerClient; unit tests give a scripted fake. Every call throws ApiError on failure.
 */
import type { AgentServerClient } from '../../api';
import { isApiError, taskErrorMessage } from '../../api';
import { isRecord } from '../../shared/isRecord';
import { clip } from '../../shared/text';

/** What a join answered. The server answers 200 for failed and unknown runs too. */
export interface JoinAnswer {
  kind: 'values' | 'interrupted' | 'error' | 'not-found';
  /** The run's error message (kind 'error'). */
  message?: string;
  /** The first interrupt's question, when it has one (kind 'interrupted'). */
  question?: string;
}

export interface RunSnapshot {
  status: string;
  /** The server's last update of the run (its end time once it ended). */
  updatedAt?: string;
}

export interface RunsBackend {
  /** GET …/join: one long request that answers when the run ends. */
  join(threadId: string, runId: string, signal: AbortSignal): Promise<JoinAnswer>;
  /** GET …/runs/{id}: the run's real status. */
  getRun(threadId: string, runId: string, signal: AbortSignal): Promise<RunSnapshot>;
  /** The status of many threads in one request; threads that do not exist are left out. */
  threadStatuses(threadIds: readonly string[], signal: AbortSignal): Promise<Map<string, string>>;
  /** The error a failed run left in its thread's state (for runs whose join was not seen). */
  runError(threadId: string, signal: AbortSignal): Promise<string | undefined>;
  /**
   * The interrupt a thread waits at, with its question when it has one (for runs whose join was
   * not seen); undefined when it waits at none (Python leaves a cancelled run's thread "interrupted").
   */
  question(threadId: string, signal: AbortSignal): Promise<{ question?: string } | undefined>;
  cancel(threadId: string, runId: string, signal: AbortSignal): Promise<void>;
  deleteRun(threadId: string, runId: string, signal: AbortSignal): Promise<void>;
}

/**
 * The backend over a deployment's client. `source` may be a function: the client is then asked for
 * on every call, so a follower that outlives a client (closed when the deployments setting changed,
 * then made again) uses the current one, never a closed one, and a deployment removed from the
 * settings gets no request at all (the registry refuses it).
 */
export function clientBackend(source: AgentServerClient | (() => AgentServerClient | Promise<AgentServerClient>)): RunsBackend {
  const current = typeof source === 'function' ? source : () => source;
  return {
    async join(threadId, runId, signal) {
      try {
        const result = await (await current()).runs.join(threadId, runId, { signal });
        if (!result.interrupts) return { kind: 'values' };
        return { kind: 'interrupted', ...questionOf(result.interrupts) };
      } catch (error) {
        if (isApiError(error) && error.kind === 'run-failed') {
          // Both servers' "Run not found" (JS `"\"Run not found\""`, Python HTTPException "404: Run not found").
          return error.serverMessage === 'Run not found' ? { kind: 'not-found' } : { kind: 'error', message: error.message };
        }
        throw error;
      }
    },
    async getRun(threadId, runId, signal) {
      const run = await (await current()).runs.get(threadId, runId, { signal });
      return { status: run.status, updatedAt: run.updated_at };
    },
    async threadStatuses(threadIds, signal) {
      // Only the threads asked for come back, even from a server that ignores `ids`.
      const { threads } = await (await current()).threads.byIds(threadIds, ['status'], { signal });
      const out = new Map<string, string>();
      for (const t of threads) if (typeof t.status === 'string') out.set(t.thread_id, t.status);
      return out;
    },
    async runError(threadId, signal) {
      const state = await (await current()).threads.getState(threadId, { signal });
      const failed = state.tasks.find((t) => t.error);
      return failed?.error ? clip(taskErrorMessage(failed.error)) : undefined;
    },
    async question(threadId, signal) {
      const thread = await (await current()).threads.get(threadId, { signal });
      const interrupts = Object.values(thread.interrupts ?? {}).flat();
      return interrupts.length ? questionOf(interrupts) : undefined;
    },
    async cancel(threadId, runId, signal) {
      await (await current()).runs.cancel(threadId, runId, { signal });
    },
    async deleteRun(threadId, runId, signal) {
      await (await current()).runs.delete(threadId, runId, { signal });
    },
  };
}

/** The question of an `interrupt({question, …})`, or a short text of its value. */
export function questionOf(interrupts: readonly { value?: unknown }[]): { question?: string } {
  const value = interrupts[0]?.value;
  if (typeof value === 'string' && value.trim()) return { question: clip(value, 200) };
  if (isRecord(value)) {
    for (const key of ['question', 'message', 'prompt', 'description']) {
      const text = value[key];
      if (typeof text === 'string' && text.trim()) return { question: clip(text, 200) };
    }
  }
  return {};
}
