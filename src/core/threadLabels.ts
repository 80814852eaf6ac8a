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

export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
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
