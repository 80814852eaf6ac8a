/**
 * Waits for a starting dev server: a free loopback port to start it on, then `GET /ok` answering
 * 200, or the reason it never will (its process ended, its output said it crashed, the time ran
 * out, the user cancelled). No vscode import.
 */
import * as net from 'node:net';

/** A port on 127.0.0.1 nothing listens on now: the OS picks it (listen on port 0, close). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const READY_TIMEOUT_MS = 120_000;

export type ReadyResult =
  | { kind: 'ready' }
  | { kind: 'exited'; detail: string }
  | { kind: 'crashed'; line: string }
  | { kind: 'timeout' }
  | { kind: 'cancelled' };

export interface ReadyWatch {
  url: string;
  /** Why the process will never answer, checked on every poll (undefined while it may). */
  failure: () => ReadyResult | undefined;
  signal: AbortSignal;
  timeoutMs?: number;
  everyMs?: number;
}

export async function waitForReady(watch: ReadyWatch): Promise<ReadyResult> {
  const deadline = Date.now() + (watch.timeoutMs ?? READY_TIMEOUT_MS);
  for (;;) {
    if (watch.signal.aborted) return { kind: 'cancelled' };
    const failed = watch.failure();
    if (failed) return failed;
    if (Date.now() > deadline) return { kind: 'timeout' };
    try {
      const res = await fetch(`${watch.url}/ok`, { signal: AbortSignal.any([watch.signal, AbortSignal.timeout(2_000)]) });
      await res.body?.cancel();
      if (res.status === 200) return { kind: 'ready' };
    } catch {
      /* not listening yet */
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, watch.everyMs ?? 250);
      watch.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
