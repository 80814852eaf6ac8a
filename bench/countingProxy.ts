/**
 * A loopback proxy in front of the real Agent Server that counts what clients send through it:
 * requests (by kind) and client connections (open now, most at once). Benches put it between a
 * client and the server to compare clients on the same footing, whatever HTTP stack they use.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export class CountingProxy {
  requests = 0;
  readonly kinds = new Map<string, number>();
  openConnections = 0;
  maxConnections = 0;
  private readonly server: http.Server;
  private readonly upstream: http.Agent;

  constructor(target: string) {
    const to = new URL(target);
    this.upstream = new http.Agent({ keepAlive: true });
    this.server = http.createServer((req, res) => {
      this.requests++;
      const kind = kindOf(req.method ?? '', req.url ?? '');
      this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
      const up = http.request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent: this.upstream },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
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

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Zeroes the counters. Idle connections are not closed here (a client may be reusing one at that
   * instant): wait until they time out (clients drop them after 4 s) before measuring the next client.
   */
  reset(): void {
    this.requests = 0;
    this.kinds.clear();
    this.maxConnections = this.openConnections;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.upstream.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function kindOf(method: string, url: string): string {
  const path = url.split('?')[0]!;
  if (path.endsWith('/join')) return 'join';
  if (/\/runs\/[^/]+$/.test(path) && method === 'GET') return 'run';
  if (path.endsWith('/threads/search')) return 'search';
  if (path.endsWith('/state')) return 'state';
  return `${method} other`;
}
