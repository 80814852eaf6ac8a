/** The thread filter of the Deployments view: a status and metadata key=value pairs. */
import type { ThreadSearch } from '../api';

export type ThreadStatusFilter = NonNullable<ThreadSearch['status']>;

export interface ThreadFilter {
  status?: ThreadStatusFilter;
  metadata: Record<string, unknown>;
}

export const NO_FILTER: ThreadFilter = { metadata: {} };

export function isFiltered(filter: ThreadFilter): boolean {
  return filter.status !== undefined || Object.keys(filter.metadata).length > 0;
}

/**
 * "owner=alice" → ['owner', 'alice']; "n=3" → ['n', 3]; 'tag="3"' → ['tag', '3'].
 * The server matches metadata values exactly, JSON types included, so a value that reads as
 * JSON (a number, true/false, null, a quoted string) is sent as that; anything else as text.
 */
export function parseMetadataPair(text: string): { key: string; value: unknown } | { error: string } {
  const at = text.indexOf('=');
  if (at <= 0) return { error: 'Write key=value, e.g. owner=alice' };
  const key = text.slice(0, at).trim();
  const raw = text.slice(at + 1).trim();
  if (!key) return { error: 'The key is empty.' };
  if (!raw) return { error: `Give ${key} a value, e.g. ${key}=something` };
  return { key, value: readValue(raw) };
}

function readValue(raw: string): unknown {
  if (/^(-?\d+(\.\d+)?|true|false|null|"(?:[^"\\]|\\.)*")$/.test(raw)) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

/** "status: busy · owner=alice" for the view's description. */
export function describeFilter(filter: ThreadFilter): string {
  const parts: string[] = [];
  if (filter.status) parts.push(`status: ${filter.status}`);
  for (const [key, value] of Object.entries(filter.metadata)) parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return parts.join(' · ');
}
