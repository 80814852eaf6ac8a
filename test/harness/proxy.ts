/**
 * A loopback HTTP proxy in front of a real server (an Agent Server) that records what clients send
 * through it: every request (method, URL, x-api-key, kind) and the client connections (open now,
 * most at once). Node built-ins only.
 *  - Tests put two in front of one server to make two "deployments" whose traffic they inspect;
 *    `answer` can answer some requests itself (a hostile server's or a gateway's reply to one
 *    endpoint, the rest real).
 *  - `cutAfter` drops one answer's connection after so many bytes (a stream cut mid-event).
 *  - Benches put one between a client and the server to count what each client costs, on the same
 *    footing whatever HTTP stack it uses.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reply instead of the server's, or undefined to forward the request. The body goes as JSON, or
 * as it is (a string) when a content type is given.
 */
export type ProxyAnswer = (req: http.IncomingMessage) => { status: number; body: unknown; contentType?: string } | undefined;

export interface SeenRequest {
  method: string;
  url: string;
  apiKey: string | undefined;
  /** What the request is for an Agent Server: see kindOf. */
  kind: string;
}

export class RecordingProxy {
  /** The requests since start (or the last reset), in order. */
  readonly seen: SeenRequest[] = [];
  openConnections = 0;
  maxConnections = 0;
  /** Connections cut by `cutAfter` so far. */
  cutsDone = 0;
  private readonly cuts: { afterBytes: number; match: (req: http.IncomingMessage) => boolean }[] = [];
  private readonly server: http.Server;
  private readonly upstream = new http.Agent({ keepAlive: true });

  constructor(target: string, answer?: ProxyAnswer) {
    const to = new URL(target);
    this.server = http.createServer((req, res) => {
      const key = req.headers['x-api-key'];
      const method = req.method ?? '';
      const url = req.url ?? '';
      this.seen.push({ method, url, apiKey: Array.isArray(key) ? key[0] : key, kind: kindOf(method, url) });
      const own = answer?.(req);
      if (own) {
        req.resume();
        const raw = own.contentType !== undefined;
        res.writeHead(own.status, { 'content-type': own.contentType ?? 'application/json' }).end(raw ? String(own.body) : JSON.stringify(own.body));
        return;
      }
      const up = http.request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent: this.upstream },
        (answered) => {
          res.writeHead(answered.statusCode ?? 502, answered.headers);
          const cut = this.cuts.findIndex((c) => c.match(req));
          if (cut < 0) return void answered.pipe(res);
          const { afterBytes } = this.cuts.splice(cut, 1)[0]!;
          let sent = 0;
          answered.on('data', (chunk: Buffer) => {
            if (sent >= afterBytes) return;
            const room = afterBytes - sent;
            res.write(chunk.length < room ? chunk : chunk.subarray(0, room));
            sent += Math.min(chunk.length, room);
            if (sent < afterBytes) return;
            // As if the network died: the client's socket is destroyed mid-answer, no clean end.
            this.cutsDone++;
            res.socket?.destroy();
            up.destroy();
          });
          answered.on('end', () => {
            if (sent < afterBytes) res.end();
          });
        },
      );
      up.on('error', () => res.destroy());
      // A client that gives up (an aborted join) closes its side: close ours to the server too.
      res.on('close', () => up.destroy());
      req.pipe(up);
    });
    // Joins are long and silent: no server-side timeouts.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 0;
    this.server.on('connection', (socket) => {
      this.openConnections++;
      this.maxConnections = Math.max(this.maxConnections, this.openConnections);
      socket.on('close', () => this.openConnections--);
    });
  }

  /** How many requests came since start (or the last reset). */
  get requests(): number {
    return this.seen.length;
  }

  /** How many requests of each kind, in the order the kinds first came. */
  get kinds(): Map<string, number> {
    const kinds = new Map<string, number>();
    for (const { kind } of this.seen) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    return kinds;
  }

  /**
   * Cuts the next answer to a request that `match` picks (default: any) after `afterBytes` bytes of
   * its body went through: the client's connection is destroyed mid-answer, as a dropped network
   * would. One answer per call; an answer shorter than that goes through whole.
   */
  cutAfter(afterBytes: number, match: (req: http.IncomingMessage) => boolean = () => true): void {
    this.cuts.push({ afterBytes, match });
  }

  /** Listens on a free port of 127.0.0.1; returns the proxy's URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Forgets the requests seen and the most connections. Idle connections are not closed here (a
   * client may be reusing one at that instant): wait until they time out (clients drop them after
   * 4 s) before measuring the next client.
   */
  reset(): void {
    this.seen.length = 0;
    this.maxConnections = this.openConnections;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.upstream.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** join, run (GET of one run), search (of threads), state, or `<METHOD> other`. */
function kindOf(method: string, url: string): string {
  const path = url.split('?')[0]!;
  if (path.endsWith('/join')) return 'join';
  if (/\/runs\/[^/]+$/.test(path) && method === 'GET') return 'run';
  if (path.endsWith('/threads/search')) return 'search';
  if (path.endsWith('/state')) return 'state';
  return `${method} other`;
}
