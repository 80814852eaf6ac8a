/**
 * The schema-check worker: a worker_threads entry, bundled by esbuild into
 * dist/schemaCheck.worker.js (with @cfworker/json-schema) and started by schemaCheckWorker.ts.
 * It checks one input at a time; the host terminates it when a check runs past its budget.
 */
import { parentPort } from 'node:worker_threads';
import { findMismatches } from './inputMismatches';
import type { CheckRequest, WorkerMessage } from './schemaCheckProtocol';

const port = parentPort;
if (!port) throw new Error('schemaCheck.worker.js runs as a worker thread');

port.on('message', ({ id, schema, input }: CheckRequest) => {
  let reply: WorkerMessage;
  try {
    const found = findMismatches(schema, input);
    reply = found === 'unusable' ? { id, unusable: true } : { id, mismatches: found };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies WorkerMessage);
