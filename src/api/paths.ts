import { clip } from '../shared/text';
import { ApiError } from './errors';

/** A path segment from an id the user typed or a file held: never lets it change the path. */
export function segment(id: string): string {
  if (!id) throw new TypeError('An id is empty.');
  return encodeURIComponent(id);
}

/**
 * An answer about one thread or run must be about that one: a server that answers with another
 * (a proxy's cache, a server that ignores ids) would make the extension show, or delete, the wrong
 * thing. `got` undefined (the server did not say) passes.
 */
export function expectSameId(
  got: string | undefined,
  asked: string,
  what: 'thread' | 'run',
  request: { method: string; path: string },
): void {
  if (got === undefined || got === asked) return;
  throw new ApiError(`${request.method} ${request.path} answered about ${what} ${clip(got, 80)}, not the ${what} asked for.`, {
    kind: 'invalid-response',
    method: request.method,
    path: request.path,
  });
}
