/** One page of a list call, with what the server said (or what can be inferred) about the rest. */
export interface Page<T> {
  items: T[];
  offset: number;
  limit: number;
  /** From `X-Pagination-Total` when the server sends it (the JS server does). */
  total?: number;
  /** Whether another page may exist. */
  hasMore: boolean;
}

export function toPage<T>(items: T[], offset: number, limit: number, headers: Record<string, string | undefined>): Page<T> {
  const totalHeader = Number(headers['x-pagination-total']);
  const total = headers['x-pagination-total'] !== undefined && Number.isFinite(totalHeader) ? totalHeader : undefined;
  const next = headers['x-pagination-next'];
  // Without headers, a full page means there may be more.
  const hasMore = total !== undefined ? offset + items.length < total : next ? true : items.length >= limit;
  return { items, offset, limit, ...(total !== undefined ? { total } : {}), hasMore };
}
