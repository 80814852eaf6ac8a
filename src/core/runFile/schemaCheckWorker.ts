/**
 * Input-schema checks in a worker thread, so that a deployment's schema can never block the
 * extension host. One warm worker is reused from check to check; checks go one at a time, and
 * each gets its budget from the moment the (started) worker has it, so neither the worker's start
 * nor the checks queued before it count against it. A check past its budget is answered "too
 * slow" and its worker terminated (V8 stops even a regex in the middle of its backtracking); the
 * next check starts a new worker. The worker's heap has its own limit: a schema that eats memory
 * ends the worker, not the extension host.
 */
import { Worker } from 'node:worker_threads';
import type { InputCheck, SchemaCheckRunner } from './inputSchema';
import { afterMs } from './timers';
import type { CheckRequest, WorkerMessage } from './schemaCheckProtocol';

export const DEFAULT_SCHEMA_CHECK_BUDGET_MS = 2_000;
/** A worker that has not loaded by then will not: its checks are skipped. */
const START_LIMIT_MS = 10_000;
const HEAP_LIMIT_MB = 512;

export interface SchemaCheckWorkerOptions {
  /** The worker's script: dist/schemaCheck.worker.js, built from schemaCheck.worker.ts. */
  script: string;
  /** How long one check may take, unless the check says otherwise (default 2 s). */
  budgetMs?: number;
}

type Reply = Exclude<WorkerMessage, { ready: true }> | { failed: string };

interface Live {
  worker: Worker;
  /** Settles when the worker has loaded: undefined, or why it did not. */
  ready: Promise<string | undefined>;
  /** The reply handler of the check in progress. */
  onReply?: (reply: Reply) => void;
}

export class SchemaCheckWorker implements SchemaCheckRunner {
  private live: Live | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;
  private disposed = false;
  private workersStarted = 0;

  constructor(private readonly options: SchemaCheckWorkerOptions) {}

  /** How many workers were started so far: one while checks finish in time, one more after each that did not. */
  get started(): number {
    return this.workersStarted;
  }

  warm(): void {
    if (!this.disposed) this.current();
  }

  check(schema: Record<string, unknown>, input: unknown, budgetMs = this.options.budgetMs ?? DEFAULT_SCHEMA_CHECK_BUDGET_MS): Promise<InputCheck> {
    const next = this.queue.then(() => this.checkNow(schema, input, budgetMs));
    this.queue = next;
    return next;
  }

  dispose(): void {
    this.disposed = true;
    if (this.live) this.drop(this.live);
  }

  private async checkNow(schema: Record<string, unknown>, input: unknown, budgetMs: number): Promise<InputCheck> {
    if (this.disposed) return failed('the checker was closed');
    const live = this.current();
    const notStarted = await live.ready;
    if (notStarted) {
      this.drop(live);
      return failed(notStarted);
    }
    const id = ++this.nextId;
    return new Promise<InputCheck>((resolve) => {
      const settle = (check: InputCheck) => {
        clearTimeout(timer);
        live.onReply = undefined;
        resolve(check);
      };
      const timer = afterMs(budgetMs, () => {
        settle({ status: 'skipped', reason: 'too slow', detail: `it took longer than ${budgetMs / 1000} s` });
        this.drop(live);
      });
      live.onReply = (reply) => {
        if ('failed' in reply) settle(failed(reply.failed));
        else if (reply.id !== id) return;
        else if ('mismatches' in reply) settle({ status: 'checked', mismatches: reply.mismatches });
        else if ('unusable' in reply) settle({ status: 'skipped', reason: 'unusable', detail: 'the validator cannot use the schema' });
        else settle(failed(`the check failed: ${reply.error}`));
      };
      try {
        live.worker.postMessage({ id, schema, input } satisfies CheckRequest);
      } catch (error) {
        settle(failed(`the input could not be handed to the checker: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
  }

  private current(): Live {
    return (this.live ??= this.start());
  }

  private start(): Live {
    this.workersStarted++;
    const worker = new Worker(this.options.script, { resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB } });
    worker.unref(); // an idle worker keeps nothing alive
    let markReady!: (notStarted: string | undefined) => void;
    const live: Live = { worker, ready: new Promise((resolve) => (markReady = resolve)) };
    const startLimit = setTimeout(() => end(`the checker did not start within ${START_LIMIT_MS / 1000} s`), START_LIMIT_MS);
    startLimit.unref();
    const end = (why: string) => {
      clearTimeout(startLimit);
      markReady(why);
      live.onReply?.({ failed: why });
      this.drop(live);
    };
    worker.on('message', (message: WorkerMessage) => {
      if ('ready' in message) {
        clearTimeout(startLimit);
        markReady(undefined);
      } else live.onReply?.(message);
    });
    worker.on('error', (error) => end(`the checker failed: ${error.message}`));
    worker.on('exit', (code) => end(`the checker stopped (exit code ${code})`));
    return live;
  }

  private drop(live: Live): void {
    if (this.live === live) this.live = undefined;
    void live.worker.terminate();
  }
}

function failed(detail: string): InputCheck {
  return { status: 'skipped', reason: 'failed', detail };
}
