/**
 * The HTTP layer under the client: one keep-alive undici Pool per deployment, bound to the
 * deployment's origin. Because the pool cannot talk to any other origin and redirects are never
 * followed, the API key it adds can only ever reach the deployment it belongs to.
 *
 * Short calls get a deadline that covers every attempt. Long calls (join, wait, stream) turn off
 * undici's 300 s header/body timeouts and rely on the caller's AbortSignal, plus an idle watchdog
 * when the server is known to send bytes while it works. Idempotent calls are retried on
 * connection errors, 429 and 5xx, with backoff and jitter; nothing else is.
 *
 * No answer is held past `maxBodyBytes` (64 MiB by default): a Content-Length over it is refused
 * unread, and a body that grows past it is destroyed at once, unread beyond the cap. Streams are
 * not capped as a whole (a long run streams for hours) but per event, in the SSE reader.
 */
import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { backoffDelay, retryAfterMs, sleep, type BackoffOptions } from './backoff';
import { bodyTooLarge, declaredTooLarge, DEFAULT_MAX_BODY_BYTES, type BodyLimit } from './bodyLimit';
import { ApiError } from './errors';
import { describeErrorBody, describeUnexpectedBody } from './errorBody';
import { clip } from '../shared/text';
import { describeNetworkError, networkCode } from './networkErrors';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type Query = Record<string, string | number | boolean | undefined>;

export interface TransportOptions {
  /** The deployment's base URL; a path prefix (behind a gateway) is kept. */
  url: string;
  /** Read before every request, so a key set later is used at once. */
  apiKey?: () => string | undefined;
  /** Deadline for short calls, all attempts included. Default 30 s. */
  timeoutMs?: number;
  /** Retries for idempotent calls. Default 3. */
  retries?: number;
  backoff?: BackoffOptions;
  userAgent?: string;
  /**
   * The most the client reads of one answer (and of one stream event). Default 64 MiB. Past it
   * the call fails with an ApiError of kind `too-large` and the rest is never read.
   */
  maxBodyBytes?: number;
  /** Where a user changes that cap (e.g. a setting's name): the too-large message names it. */
  maxBodySetting?: string;
  /** For tests: a dispatcher to use instead of a Pool (a fake socket, say). */
  dispatcher?: Dispatcher;
  /** For tests: how to wait between retries. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RequestOptions {
  method: Method;
  path: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** Defaults to true for GET and DELETE. Read-only POSTs (search, count, history) pass true. */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** 'none' for long calls; else a deadline overriding the transport's. */
  timeoutMs?: number | 'none';
  /** For long calls whose server sends bytes while working: fail after this long without any. */
  idleTimeoutMs?: number;
}

export interface OpenedStream {
  /** Decoded text chunks. The watchdog, deadline and abort apply while reading. */
  chunks: AsyncIterable<string>;
  /** Starts (or changes) the idle watchdog once the server has shown that it sends heartbeats. */
  watchIdle(ms: number): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 5_000 };
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Of an error answer only the start is read: its words are clipped to a line anyway. */
const MAX_ERROR_BODY_BYTES = 1024 * 1024;

export class Transport {
  readonly origin: string;
  /** The deployment's URL without credentials or trailing slash, for messages. */
  readonly displayUrl: string;
  private readonly basePath: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(private readonly options: TransportOptions) {
    const url = parseDeploymentUrl(options.url);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.displayUrl = `${url.origin}${this.basePath}`;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ??
      new Pool(url.origin, {
        // Joins hold a connection each; the tracker caps how many it opens.
        connections: null,
        keepAliveTimeout: 4_000,
        connect: { timeout: 10_000 },
      });
  }

  /**
   * Another policy (e.g. no retries) over the same connection pool: one pool per deployment,
   * whoever uses it. The derived transport does not own the pool; closing it closes nothing.
   */
  derive(overrides: Pick<TransportOptions, 'retries'>): Transport {
    return new Transport({ ...this.options, ...overrides, dispatcher: this.dispatcher });
  }

  /** The most the client reads of one answer or one stream event, and where it is set. */
  get bodyLimit(): BodyLimit {
    return { maxBytes: this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, setting: this.options.maxBodySetting };
  }

  /** A JSON call: the answer is parsed and checked against `schema`. */
  async json<T>(opts: RequestOptions, schema: z.ZodType<T>): Promise<T> {
    return this.withResponse(opts, async (res, ctx) =>
      parseJson(await readBody(res, ctx, opts, this.bodyLimit), headerOf(res, 'content-type'), schema, opts),
    );
  }

  /** A call whose answer body is not needed (delete, cancel). */
  async send(opts: RequestOptions): Promise<void> {
    await this.withResponse(opts, async (res, ctx) => void (await readBody(res, ctx, opts, this.bodyLimit)));
  }

  /**
   * A streaming call. The deadline (if any) and the caller's signal stay armed until the stream
   * is read to its end or abandoned; abandoning the iterator closes the connection.
   */
  async stream(opts: RequestOptions): Promise<OpenedStream> {
    const ctx = this.context(opts);
    try {
      const res = await this.dispatch(opts, ctx);
      return {
        chunks: readChunks(res.body, ctx, opts),
        watchIdle: (ms) => ctx.watchIdle(ms),
      };
    } catch (error) {
      ctx.dispose();
      throw this.toApiError(error, opts, ctx);
    }
  }

  close(): Promise<void> {
    return this.ownsDispatcher ? this.dispatcher.close() : Promise.resolve();
  }

  private async withResponse<T>(
    opts: RequestOptions,
    read: (res: Dispatcher.ResponseData, ctx: CallContext) => Promise<T>,
  ): Promise<T> {
    const ctx = this.context(opts);
    try {
      const res = await this.dispatch(opts, ctx);
      return await read(res, ctx);
    } catch (error) {
      throw this.toApiError(error, opts, ctx);
    } finally {
      ctx.dispose();
    }
  }

  /** Sends the request, retrying what may be retried, and returns a 2xx response. */
  private async dispatch(opts: RequestOptions, ctx: CallContext): Promise<Dispatcher.ResponseData> {
    const idempotent = opts.idempotent ?? (opts.method === 'GET' || opts.method === 'DELETE');
    const retries = idempotent ? (this.options.retries ?? 3) : 0;
    const wait = this.options.sleep ?? sleep;
    for (let attempt = 0; ; attempt++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await this.dispatcher.request({
          origin: this.origin,
          method: opts.method,
          path: this.basePath + opts.path + queryString(opts.query),
          headers: this.headersFor(opts),
          body: opts.body === undefined ? null : JSON.stringify(opts.body),
          signal: ctx.signal,
          // undici's own 300 s timeouts would kill joins of long runs; ours replace them.
          headersTimeout: 0,
          bodyTimeout: 0,
        });
      } catch (error) {
        if (attempt < retries && !ctx.signal.aborted && isRetryableNetworkError(error)) {
          await wait(backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF), ctx.signal);
          continue;
        }
        throw error;
      }
      if (res.statusCode >= 200 && res.statusCode < 300) return res;

      const limit = { maxBytes: Math.min(this.bodyLimit.maxBytes, MAX_ERROR_BODY_BYTES) };
      const text = await readBody(res, ctx, opts, limit, 'cut').catch(() => '');
      if (attempt < retries && RETRY_STATUSES.has(res.statusCode)) {
        const hinted = retryAfterMs(headerOf(res, 'retry-after'));
        const delay = hinted ?? backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
        await wait(Math.min(delay, 30_000), ctx.signal);
        continue;
      }
      throw httpError(res, text, opts);
    }
  }

  private headersFor(opts: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'langgraph-deployments-vscode',
      ...opts.headers,
    };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const key = this.options.apiKey?.();
    if (key) headers['x-api-key'] = key;
    return headers;
  }

  private context(opts: RequestOptions): CallContext {
    const timeout = opts.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new CallContext(opts.signal, timeout === 'none' ? undefined : timeout, opts.idleTimeoutMs);
  }

  private toApiError(error: unknown, opts: RequestOptions, ctx: CallContext): ApiError {
    if (error instanceof ApiError) return error;
    const base = { method: opts.method, path: opts.path, cause: error };
    if (ctx.reason === 'aborted') return new ApiError('Cancelled.', { ...base, kind: 'aborted' });
    if (ctx.reason === 'deadline')
      return new ApiError(`No answer from ${this.displayUrl} within ${seconds(ctx.deadlineMs)}.`, {
        ...base,
        kind: 'timeout',
      });
    if (ctx.reason === 'idle')
      return new ApiError(`${this.displayUrl} went silent: nothing received for ${seconds(ctx.idleMs)}.`, {
        ...base,
        kind: 'timeout',
      });
    const code = networkCode(error);
    return new ApiError(describeNetworkError(code, this.displayUrl, error), { ...base, kind: 'network', code });
  }
}

/** Why a call's internal signal fired: the caller, the deadline or the idle watchdog. */
class CallContext {
  readonly signal: AbortSignal;
  reason: 'aborted' | 'deadline' | 'idle' | undefined;
  private readonly controller = new AbortController();
  private deadline: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => this.fire('aborted');

  constructor(
    private readonly outer: AbortSignal | undefined,
    readonly deadlineMs: number | undefined,
    public idleMs: number | undefined,
  ) {
    this.signal = this.controller.signal;
    if (outer?.aborted) this.fire('aborted');
    else outer?.addEventListener('abort', this.onAbort, { once: true });
    if (deadlineMs !== undefined) this.deadline = setTimeout(() => this.fire('deadline'), deadlineMs);
  }

  /** Called on every byte received: pushes the idle watchdog back. */
  alive(): void {
    if (this.idleMs === undefined || this.reason) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.fire('idle'), this.idleMs);
  }

  watchIdle(ms: number): void {
    this.idleMs = ms;
    this.alive();
  }

  dispose(): void {
    clearTimeout(this.deadline);
    clearTimeout(this.idle);
    this.outer?.removeEventListener('abort', this.onAbort);
  }

  private fire(reason: 'aborted' | 'deadline' | 'idle'): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(new Error(reason));
  }
}

/**
 * Reads a whole body as UTF-8, at most `limit.maxBytes` of it. A Content-Length over the cap is refused
 * before reading; a body that passes the cap is destroyed at once (the connection closes, the rest
 * is never read). Then the call fails, or with `cut` returns what was read up to the cap.
 */
async function readBody(
  res: Dispatcher.ResponseData,
  ctx: CallContext,
  opts: RequestOptions,
  limit: BodyLimit,
  overflow: 'fail' | 'cut' = 'fail',
): Promise<string> {
  const { body } = res;
  const { maxBytes } = limit;
  const declared = Number(headerOf(res, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    if (overflow === 'cut') return '';
    throw declaredTooLarge(opts, declared, limit);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  ctx.alive();
  for await (const chunk of body) {
    ctx.alive();
    const buffer = chunk as Buffer;
    if (bytes + buffer.length > maxBytes) {
      body.destroy();
      if (overflow === 'fail') throw bodyTooLarge(opts, limit);
      chunks.push(buffer.subarray(0, maxBytes - bytes));
      bytes = maxBytes;
      break;
    }
    chunks.push(buffer);
    bytes += buffer.length;
  }
  // TextDecoder drops a BOM, as undici's body.text() did.
  return new TextDecoder().decode(Buffer.concat(chunks, bytes));
}

/** A stream's body as decoded text chunks; ends the call (timers, connection) when left. */
async function* readChunks(body: Dispatcher.ResponseData['body'], ctx: CallContext, opts: RequestOptions): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  ctx.alive();
  try {
    for await (const chunk of body) {
      ctx.alive();
      yield decoder.decode(chunk as Uint8Array, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (error) {
    throw mapStreamError(error, opts, ctx);
  } finally {
    ctx.dispose();
    if (!body.destroyed) body.destroy();
  }
}

function mapStreamError(error: unknown, opts: RequestOptions, ctx: CallContext): ApiError {
  const base = { method: opts.method, path: opts.path, cause: error };
  if (ctx.reason === 'aborted') return new ApiError('Cancelled.', { ...base, kind: 'aborted' });
  if (ctx.reason === 'idle')
    return new ApiError(`The stream went silent: nothing received for ${seconds(ctx.idleMs)}.`, {
      ...base,
      kind: 'timeout',
    });
  if (ctx.reason === 'deadline') return new ApiError(`The stream passed its deadline.`, { ...base, kind: 'timeout' });
  const code = networkCode(error);
  return new ApiError('The connection was lost while the stream was open.', { ...base, kind: 'network', code });
}

function parseJson<T>(text: string, contentType: string | undefined, schema: z.ZodType<T>, opts: RequestOptions): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ApiError(
      `The server answered ${opts.method} ${opts.path} with ${describeUnexpectedBody(text, contentType)}.`,
      { kind: 'invalid-response', method: opts.method, path: opts.path, cause },
    );
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(top level)',
    message: i.message,
  }));
  const listed = issues
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  throw new ApiError(`The server's answer to ${opts.method} ${opts.path} is not what the Agent Server API promises: ${listed}.`, {
    kind: 'invalid-response',
    method: opts.method,
    path: opts.path,
    issues,
  });
}

function httpError(res: Dispatcher.ResponseData, text: string, opts: RequestOptions): ApiError {
  const status = res.statusCode;
  const contentType = headerOf(res, 'content-type');
  if (status >= 300 && status < 400) {
    const location = headerOf(res, 'location');
    return new ApiError(
      `The server redirected to ${location ? clip(location, 200) : 'another address'}; redirects are not followed, ` +
        `so that an API key only goes to the deployment's own URL. Use the final URL in the deployment's settings.`,
      { kind: 'http', status, method: opts.method, path: opts.path },
    );
  }
  const { message, issues } = describeErrorBody(text, contentType);
  const label = `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
  return new ApiError(message ? `${label}: ${message}` : `${label} from ${opts.method} ${opts.path}`, {
    kind: 'http',
    status,
    method: opts.method,
    path: opts.path,
    serverMessage: message || undefined,
    issues,
  });
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function isRetryableNetworkError(error: unknown): boolean {
  const code = networkCode(error);
  return code !== undefined && code !== 'ENOTFOUND' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR';
}

export function parseDeploymentUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new TypeError(`"${clip(raw, 100)}" is not a URL (expected e.g. http://127.0.0.1:2024).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`"${clip(raw, 100)}" is not an http(s) URL.`);
  if (url.username || url.password)
    throw new TypeError('Put credentials in the API key (Set API Key…), not in the deployment URL.');
  url.search = '';
  url.hash = '';
  return url;
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function headerOf(res: Dispatcher.ResponseData, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? 'a while' : `${Number((ms / 1000).toFixed(2))} s`;
}
