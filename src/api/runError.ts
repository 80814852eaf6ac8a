/**
 * A run's error as the server sends it, decoded; how a run reads to people is not here
 * (src/core/runOutcome.ts). A join or wait answers 200 even when the run failed or does not
 * exist, with `{"__error__": {"error", "message"}}`, where `message` is itself JSON encoded once
 * more (`"{\"error\":\"Error\",\"message\":\"…\"}"` or `"\"Run not found\""`).
 */
import { isRecord } from '../shared/isRecord';

export interface RunErrorInfo {
  /** The error's class name on the server side ("Error", "GraphRecursionError", …). */
  errorType: string;
  message: string;
}

/** The run's error when `body` holds `__error__`, else undefined. */
export function runErrorOf(body: unknown): RunErrorInfo | undefined {
  if (!isRecord(body) || !('__error__' in body)) return undefined;
  const raw = body.__error__;
  if (!isRecord(raw)) return { errorType: 'Error', message: typeof raw === 'string' ? raw : 'The run failed.' };
  let errorType = typeof raw.error === 'string' && raw.error ? raw.error : 'Error';
  let message: unknown = raw.message;
  if (typeof message === 'string') {
    const decoded = decodeOnce(message);
    if (typeof decoded === 'string') message = decoded;
    else if (isRecord(decoded)) {
      if (typeof decoded.error === 'string' && decoded.error) errorType = decoded.error;
      message = typeof decoded.message === 'string' ? decoded.message : JSON.stringify(decoded);
    }
  }
  return {
    errorType,
    message: typeof message === 'string' && message ? message : 'The run failed without a message.',
  };
}

function decodeOnce(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[{"[]/.test(trimmed)) return text;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}

/**
 * A task's `error` in thread state: a JSON string `{"message", "name"}` on the JS server, plain
 * text elsewhere. Returns the server's message ("GraphRecursionError: too deep").
 */
export function taskErrorMessage(raw: string): string {
  const decoded = decodeOnce(raw);
  if (isRecord(decoded) && typeof decoded.message === 'string') {
    const type = typeof decoded.name === 'string' ? decoded.name : typeof decoded.error === 'string' ? decoded.error : '';
    return type && type !== 'Error' ? `${type}: ${decoded.message}` : decoded.message;
  }
  return typeof decoded === 'string' ? decoded : raw;
}
