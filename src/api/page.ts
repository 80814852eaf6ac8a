import * as z from 'zod';

/** One page of a list call. */
export interface Page<T> {
  items: T[];
  offset: number;
  limit: number;
  /** Whether another page may exist: the page came back exactly full. */
  hasMore: boolean;
}

/**
 * The pagination headers are not to be trusted: the JS server (langgraph-api 2.0) computes
 * `X-Pagination-Total` and `X-Pagination-Next` as offset + the count of ALL matches (5, 7, 9… for
 * the same 5 threads), and other servers send none. A full page means there may be more; counts
 * come from the count endpoints.
 *
 * A page is never longer than its `limit`: a server that sends more (200,000 threads for a page
 * of 50) is cut to the limit. Such a server does not page, so the cut page does not promise more.
 */
export function toPage<T>(items: T[], offset: number, limit: number): Page<T> {
  if (items.length > limit) return { items: items.slice(0, limit), offset, limit, hasMore: false };
  return { items, offset, limit, hasMore: limit > 0 && items.length === limit };
}

/**
 * The schema of a list asked for with `limit`: only the first `limit` + 1 items are checked and
 * kept (the one more tells `toPage` that the server sent too many), so an oversize answer costs
 * no more than a full page once it is parsed.
 */
export function pageOf<T extends z.ZodType>(item: T, limit: number): z.ZodType<z.output<T>[]> {
  return z
    .array(z.unknown())
    .transform((items) => (items.length > limit + 1 ? items.slice(0, limit + 1) : items))
    .pipe(z.array(item));
}

/** A list asked for with a `limit` (history), cut to it. */
export function upTo<T>(items: T[], limit: number): T[] {
  return items.length > limit ? items.slice(0, limit) : items;
}
