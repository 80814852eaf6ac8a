/** What the client sends: the request bodies of the Agent Server API, as the extension uses them. */
import type { ThreadStatus } from './schemas';

export type MultitaskStrategy = 'reject' | 'interrupt' | 'rollback' | 'enqueue';
export type StreamMode = 'values' | 'updates' | 'messages' | 'messages-tuple' | 'events' | 'debug' | 'custom' | 'tasks' | 'checkpoints';

export interface RunCommand {
  resume?: unknown;
  update?: unknown;
  goto?: unknown;
}

/** The body of POST /threads/{id}/runs (and /wait, /stream). Extra keys pass through as they are. */
export interface RunCreate {
  assistant_id: string;
  input?: unknown;
  command?: RunCommand;
  config?: Record<string, unknown>;
  context?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /**
   * Run from this checkpoint (re-run from here) with `input: null`: the graph goes on from that
   * checkpoint's next tasks; both servers then write a `source: "fork"` copy of it as the new
   * run's first checkpoint. `checkpoint: {checkpoint_id}` works as well on both.
   */
  checkpoint_id?: string;
  checkpoint?: Record<string, unknown>;
  interrupt_before?: '*' | string[];
  interrupt_after?: '*' | string[];
  multitask_strategy?: MultitaskStrategy;
  if_not_exists?: 'reject' | 'create';
  after_seconds?: number;
  webhook?: string;
  stream_mode?: StreamMode | StreamMode[];
  stream_resumable?: boolean;
  on_disconnect?: 'cancel' | 'continue';
  durability?: 'sync' | 'async' | 'exit';
  [key: string]: unknown;
}

export type ThreadField = 'thread_id' | 'created_at' | 'updated_at' | 'metadata' | 'status' | 'config' | 'values' | 'interrupts';

export interface ThreadSearch {
  metadata?: Record<string, unknown>;
  values?: Record<string, unknown>;
  status?: ThreadStatus;
  ids?: string[];
  limit?: number;
  offset?: number;
  sortBy?: 'thread_id' | 'status' | 'created_at' | 'updated_at';
  sortOrder?: 'asc' | 'desc';
}

export interface CallOptions {
  signal?: AbortSignal;
}
