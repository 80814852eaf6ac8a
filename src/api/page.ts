/** One page of a list call. */
export interface Page<T> {
  items: T[];
  offset: number;
  limit: number;
  /** Whether another page may exist: the page came back full. */
  hasMore: boolean;
}

/**
 * The pagination headers are not to be trusted: the JS server (langgraph-api 2.0) computes
 * `X-Pagination-Total` and `X-Pagination-Next` as offset + the count of ALL matches (5, 7, 9… for
 * the same 5 threads), and other servers send none. A full page means there may be more; counts
 * come from the count endpoints.
 */
export function toPage<T>(items: T[], offset: number, limit: number): Page<T> {
  return { items, offset, limit, hasMore: items.length >= limit };
}
