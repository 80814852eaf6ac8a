/**
 * A dev server's reloads, read from its log (colours removed). No vscode import. The lines, as the
 * CLIs print them on a code change:
 * - JS (`langgraphjs dev`: tsx watch restarts the server; the CLI itself restarts it when
 *   langgraph.json changes): `[tsx] change in ./src/agent.ts Restarting...` (older tsx:
 *   `Rerunning...`), or `Detected changes in langgraph.json, restarting server`; back once
 *   `Server running at 127.0.0.1:<port>` is printed again.
 * - Python (`langgraph dev`: uvicorn's watchfiles reloader): `WatchFiles detected changes in
 *   'src/agent.py'. Reloading...`; back once `Application started up in …` is logged again.
 */
import type { ProjectLanguage } from './project';

const STARTS: Record<ProjectLanguage, RegExp[]> = {
  js: [/\[tsx\] (?:change in (.+?) )?(?:Restarting|Rerunning)\.\.\./, /Detected changes in (.+?), restarting server/],
  python: [/WatchFiles detected changes in (.+?)\. Reloading\.\.\./],
};
const BACK: Record<ProjectLanguage, RegExp> = {
  js: /Server running at /,
  python: /Application started up/,
};

export type ReloadStep =
  /** The code changed and the server restarts (`at`: when the line came). */
  | { kind: 'reloading'; at: number; files: string }
  /** The server is up again after the reload that began at `startedAt`. */
  | { kind: 'reloaded'; startedAt: number; files: string };

/** Feed it every line of one server's output; it says when a reload starts and ends. */
export class ReloadDetector {
  private pending: { at: number; files: string } | undefined;

  constructor(private readonly language: ProjectLanguage) {}

  line(text: string, now: number = Date.now()): ReloadStep | undefined {
    for (const start of STARTS[this.language]) {
      const m = start.exec(text);
      if (!m) continue;
      const files = (m[1] ?? '').trim();
      // Several changes before it is back: one reload, its files joined, timed from the first.
      if (this.pending) {
        if (files && !this.pending.files.split(', ').includes(files)) this.pending.files = this.pending.files ? `${this.pending.files}, ${files}` : files;
        return undefined;
      }
      this.pending = { at: now, files };
      return { kind: 'reloading', at: now, files };
    }
    if (this.pending && BACK[this.language].test(text)) {
      const { at, files } = this.pending;
      this.pending = undefined;
      return { kind: 'reloaded', startedAt: at, files };
    }
    return undefined;
  }
}
