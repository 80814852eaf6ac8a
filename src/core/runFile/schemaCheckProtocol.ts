/** The messages between the extension host and the schema-check worker (schemaCheck.worker.ts). */
import type { InputMismatch } from './inputMismatches';

/** Host → worker: check `input` against `schema` (a prepared input schema). */
export interface CheckRequest {
  id: number;
  schema: Record<string, unknown>;
  input: unknown;
}

/** Worker → host: sent once when the worker has loaded, then one reply per request. */
export type WorkerMessage =
  | { ready: true }
  | { id: number; mismatches: InputMismatch[] }
  | { id: number; unusable: true }
  | { id: number; error: string };
