// Free ports, one way. Node built-ins only (the runner, the extension tests and the bench import it too).
import * as net from 'node:net';

/**
 * A port on 127.0.0.1 that nothing listens on now: for a server to bind (it can be taken before
 * the server does, so retry on EADDRINUSE), or for a deployment that is down (connections to it
 * are refused).
 */
export function freePort(): Promise<number> {
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
