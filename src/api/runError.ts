/**
 * A run's error as the server sends it, decoded; how a run reads to people is not here
 * (src/core/runOutcome.ts). A join or wait answers 200 even when the run failed or does not
 * exist, with `{"__error__": {"error", "message"}}`, where `message` is itself JSON encoded once
 * more (`"{\"error\":\"Error\",\"message\":\"…\"}"` or `"\"Run not found\""`) on the JS server, plain
 * text on the Python one. A task's error in thread state is read by `taskErrorOf`.
 */
import { isRecord } from '../shared/isRecord';

export interface RunErrorInfo {
  /** The error's class name on the server side ("Error", "GraphRecursionError", …). */
  errorType: string;
  message: string;
  /** The HTTP status an HTTPException carried in its message (Python: "404: Run not found"). */
  status?: number;
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
  const text = typeof message === 'string' && message ? message : 'The run failed without a message.';
  const http = errorType === 'HTTPException' ? /^(\d{3}): (.+)$/s.exec(text) : null;
  if (http) return { errorType, message: http[2]!, status: Number(http[1]) };
  return { errorType, message: text };
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

/** A task's error, decoded: the class name when the server gave one, and the message. */
export interface TaskError {
  errorType: string | undefined;
  message: string;
}

/**
 * A task's `error` in thread state, as each server writes it: JSON `{"message", "name"}` on the JS
 * server; the exception's repr on the Python one (`Error('Deliberate failure…')`,
 * `ValueError("it's")`); anything else is kept as plain text. The one place task errors are read.
 */
export function taskErrorOf(raw: string): TaskError {
  const decoded = decodeOnce(raw);
  if (isRecord(decoded) && typeof decoded.message === 'string') {
    const type = typeof decoded.name === 'string' ? decoded.name : typeof decoded.error === 'string' ? decoded.error : '';
    return { errorType: type || undefined, message: decoded.message };
  }
  if (typeof decoded !== 'string') return { errorType: undefined, message: raw };
  return pythonRepr(decoded.trim()) ?? { errorType: undefined, message: decoded };
}

/** The server's message, with its class unless that is plain "Error" ("GraphRecursionError: too deep"). */
export function taskErrorMessage(raw: string): string {
  const { errorType, message } = taskErrorOf(raw);
  if (!message) return errorType ?? raw;
  return errorType && errorType !== 'Error' ? `${errorType}: ${message}` : message;
}

/**
 * `ValueError('x')` → ValueError, x. One string argument is decoded from its Python literal; other
 * arguments (none, several, not strings) are kept as written when the name reads as an exception
 * class. Undefined when it is no such repr (plain text that happens to end in parentheses).
 */
function pythonRepr(text: string): TaskError | undefined {
  const match = /^([A-Za-z_][\w.]*)\(([\s\S]*)\)$/.exec(text);
  if (!match) return undefined;
  const errorType = match[1]!.split('.').pop()!;
  const args = match[2]!;
  const literal = pythonString(args);
  if (literal !== undefined) return { errorType, message: literal };
  return /^[A-Z]\w*(Error|Exception|Interrupt)$/.test(errorType) ? { errorType, message: args } : undefined;
}

const PY_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** The value of exactly one Python string literal as `repr()` writes it, else undefined. */
function pythonString(literal: string): string | undefined {
  const quote = literal[0];
  if ((quote !== "'" && quote !== '"') || literal.length < 2 || literal[literal.length - 1] !== quote) return undefined;
  let out = '';
  for (let i = 1; i < literal.length - 1; i++) {
    const c = literal[i]!;
    if (c === quote) return undefined; // a second argument, or not a repr
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = literal[++i];
    if (next === undefined || i >= literal.length - 1) return undefined;
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (width > 0) {
      const hex = literal.slice(i + 1, i + 1 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return undefined;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += width;
    } else {
      out += PY_ESCAPES[next] ?? `\\${next}`;
    }
  }
  return out;
}
