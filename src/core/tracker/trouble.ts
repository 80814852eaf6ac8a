/** What a failed call means for following a run. */
import { isApiError } from '../../api';

export type Trouble =
  /** We aborted it (stop following, dispose, our own timeout). */
  | 'aborted'
  /** No answer, a dropped connection, a 5xx or 429: the server may come back. */
  | 'unreachable'
  | 'not-found'
  /** 401/403: the key is missing or refused; retrying will not help. */
  | 'denied'
  /** Anything else (a 400, an answer of the wrong shape): retried a few times, then given up. */
  | 'other';

export function troubleOf(error: unknown): Trouble {
  if (!isApiError(error)) return 'other';
  if (error.kind === 'aborted') return 'aborted';
  if (error.transient) return 'unreachable';
  if (error.status === 404) return 'not-found';
  if (error.status === 401 || error.status === 403) return 'denied';
  return 'other';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
