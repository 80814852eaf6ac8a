/**
 * The one error type of the Agent Server client. Whatever went wrong (an HTTP error, a dead
 * connection, a deadline, a response of the wrong shape, a run that failed on the server), the
 * caller gets an ApiError whose message a person can read as it is. It carries the request's
 * method and path, never its headers: the API key cannot end up in a message or a log.
 */
export type ApiErrorKind =
  /** The server answered with an HTTP error status. */
  | 'http'
  /** No answer: refused, reset, DNS, TLS, or the connection dropped mid-answer. */
  | 'network'
  /** A short call passed its deadline, or a long one its idle watchdog. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** The server answered 2xx, but not with what the API promises. */
  | 'invalid-response'
  /** A join or wait reported the run's own error (`__error__`). */
  | 'run-failed'
  /** The answer (or one stream event) was bigger than the client reads; the rest was not read. */
  | 'too-large';

export interface ServerIssue {
  path: string;
  message: string;
}

export interface ApiErrorInit {
  kind: ApiErrorKind;
  method: string;
  path: string;
  status?: number;
  /** What the server said, as text, when it said something. */
  serverMessage?: string;
  /** Field-level problems: the server's zod issues, or ours for a wrong-shaped response. */
  issues?: ServerIssue[];
  /** The low-level error code (ECONNREFUSED, UND_ERR_SOCKET…) for network errors. */
  code?: string;
  cause?: unknown;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;
  readonly issues: readonly ServerIssue[];
  readonly code: string | undefined;

  constructor(summary: string, init: ApiErrorInit) {
    super(summary, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.issues = init.issues ?? [];
    this.code = init.code;
  }

  /** "GET /threads/…", for a detail line or a log. */
  get request(): string {
    return `${this.method} ${this.path}`;
  }

  /** True for errors worth retrying later (the server may come back). */
  get transient(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'timeout' ||
      this.status === 429 ||
      (this.status !== undefined && this.status >= 500)
    );
  }

  /** The message with the request appended, for places that have room for it (logs, tooltips). */
  detailed(): string {
    return `${this.message} (${this.request})`;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
