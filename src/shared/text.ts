/** Small text helpers every layer uses (the webview too). No imports. */

/** The most of a server's message shown on one line (errors, notifications). */
export const MAX_MESSAGE = 600;

/** The text on one line (runs of white space folded), at most `max` characters ending in "…". */
export function clip(text: string, max = MAX_MESSAGE): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max);
}

/** The text as it is (its lines kept), at most `max` characters ending in "…". */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "1 run", "3 runs", "1,000 messages". */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}
