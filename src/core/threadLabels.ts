/** How threads and times read in lists: short, stable, and never "[object Object]". */
import { clip } from '../shared/text';

const TITLE_KEYS = ['title', 'name', 'thread_name', 'label', 'subject'] as const;

/** A title from the thread's metadata where there is one, else a short id. */
export function threadLabel(threadId: string, metadata: Record<string, unknown> | undefined): string {
  for (const key of TITLE_KEYS) {
    const value = metadata?.[key];
    if (typeof value === 'string' && value.trim()) return clip(value, 80);
  }
  return shortId(threadId);
}

/** A time-ordered UUID (version 1, 6 or 7: both servers' checkpoints, Python's threads and runs). */
const TIME_ORDERED = /^[0-9a-f]{8}-[0-9a-f]{4}-[167][0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id in 8 characters: the first 8, or for a time-ordered UUID the last 8 (its first 8 are its
 * time, the same for every id made within a minute or so).
 */
export function shortId(id: string): string {
  if (id.length <= 8) return id;
  return TIME_ORDERED.test(id) ? id.slice(-8) : id.slice(0, 8);
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date. */
export function timeAgo(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return `${days} d ago`;
  return new Date(then).toISOString().slice(0, 10);
}
