/**
 * The line above the graph that says which run the highlight shows and how it went: "Run
 * d9b6eab6 on thread 38e85f1a: running agent", "…: finished", "…: failed at agent: <words>".
 * Labels come from the extension (short ids); the words are server text, set as text only.
 */
import type { GraphRunPath } from './protocol';

/** Characters of a failure's words on the line (the node's tooltip has them all). */
const MAX_WORDS = 160;

export function runLineText(run: GraphRunPath | null): string {
  if (!run) return '';
  const runId = run.runLabel ?? run.runId;
  const who = `${runId ? `Run ${runId}` : 'A run'} on thread ${run.threadLabel ?? run.threadId}`;
  const failed = Object.entries(run.failed ?? {});
  if (failed.length) {
    const [, words] = failed[0]!;
    const clipped = words.length > MAX_WORDS ? `${words.slice(0, MAX_WORDS - 1)}…` : words;
    return `${who}: failed at ${failed.map(([id]) => id).join(', ')}: ${clipped}`;
  }
  if (run.live) return `${who}: ${run.running.length ? `running ${run.running.join(', ')}` : 'between steps'}`;
  return `${who}: ${run.path.some((e) => e.target === '__end__') ? 'finished' : 'stopped before the end'}`;
}
