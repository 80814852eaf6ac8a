/**
 * A loopback proxy in front of the real Agent Server that records the headers of every request
 * it forwards: two of them make two "deployments" whose traffic a test can inspect. `answer` can
 * answer some requests itself (a hostile server's reply to one endpoint, the rest real).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A JSON reply instead of the server's, or undefined to forward the request. */
export type ProxyAnswer = (req: http.IncomingMessage) => { status: number; body: unknown } | undefined;

export class RecordingProxy {
  readonly seen: { url: string; apiKey: string | undefined }[] = [];
  private readonly server: http.Server;

  constructor(target: string, answer?: ProxyAnswer) {
    const { hostname, port } = new URL(target);
    this.server = http.createServer((req, res) => {
      const key = req.headers['x-api-key'];
      this.seen.push({ url: req.url ?? '', apiKey: Array.isArray(key) ? key[0] : key });
      const own = answer?.(req);
      if (own) {
        req.resume();
        res.writeHead(own.status, { 'content-type': 'application/json' }).end(JSON.stringify(own.body));
        return;
      }
      const upstream = http.request({ host: hostname, port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
