/**
 * A scripted HTTP server on a loopback port, for unit tests of the transport: each request gets
 * the next scripted answer. It records what arrived (method, path, headers, body) so tests can
 * check what was sent and how many times.
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../../src/api';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

export class FakeServer {
  readonly received: Received[] = [];
  private readonly server: http.Server;
  private script: Handler[] = [];
  private fallback: Handler = (_req, res) => reply(res, 500, 'text/plain', 'no scripted answer');

  constructor() {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        this.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        (this.script.shift() ?? this.fallback)(req, res, body);
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next answers, in order. */
  then(...handlers: Handler[]): this {
    this.script.push(...handlers);
    return this;
  }

  otherwise(handler: Handler): this {
    this.fallback = handler;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function reply(res: http.ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(body);
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Handler => (_req, res) =>
  reply(res, status, 'application/json', JSON.stringify(value), headers);

export const text = (status: number, body: string, contentType = 'text/plain;charset=UTF-8'): Handler => (_req, res) =>
  reply(res, status, contentType, body);

/** Sends headers and part of a body, then kills the connection: a server dying mid-answer. */
export const dieMidBody: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"values": {"mess');
  setTimeout(() => res.socket?.destroy(), 20);
};

/** Never answers (until the test stops the server). */
export const hang: Handler = () => undefined;

/** A Thread as the server sends it. */
export function threadJson(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { thread_id: id, created_at: '2026-11-21T11:06:56.462Z', updated_at: '2026-11-21T11:06:56.462Z', metadata: {}, status: 'idle', config: {}, ...extra };
}

/** The ApiError a call fails with (the test fails if it succeeds or throws something else). */
export async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}
