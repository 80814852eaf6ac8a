/**
 * How much of one answer the client holds. A broken or hostile server can send a body of any
 * size, and the extension host dies somewhere past 512 MB; the client stops reading at a cap
 * (64 MiB unless the caller sets `maxBodyBytes`) and says so, naming the cap and the request.
 */
import { ApiError } from './errors';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

interface Request {
  method: string;
  path: string;
}

export interface BodyLimit {
  maxBytes: number;
  /** Where a user changes the cap (a setting's name), for the message. */
  setting?: string;
}

/** The answer, or one event of a stream, passed the cap while it was read. */
export function bodyTooLarge(request: Request, limit: BodyLimit, what: 'answer' | 'event' = 'answer'): ApiError {
  const sent = what === 'event' ? 'sent a stream event of' : 'answered';
  return tooLarge(request, limit, `${request.method} ${request.path} ${sent} more than ${megabytes(limit.maxBytes)}, the most the client reads of one ${what}`);
}

/** The answer's Content-Length is over the cap: nothing of it is read. */
export function declaredTooLarge(request: Request, declared: number, limit: BodyLimit): ApiError {
  return tooLarge(
    request,
    limit,
    `${request.method} ${request.path} announced an answer of ${megabytes(declared)}, more than the ${megabytes(limit.maxBytes)} the client reads of one answer`,
  );
}

function tooLarge(request: Request, limit: BodyLimit, message: string): ApiError {
  const where = limit.setting ? `; the limit is ${limit.setting}` : '';
  return new ApiError(`${message}${where}.`, { kind: 'too-large', method: request.method, path: request.path });
}

/** "64 MB", "1.5 MB", "400 MB" (MiB, as the cap is set). */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Number(mb.toFixed(mb >= 1 ? 1 : 3))} MB`;
}
