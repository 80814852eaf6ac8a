/**
 * The value typed into the resume box: JSON, checked the same way in the webview (to say what is
 * wrong right there) and in the extension (which trusts nothing the webview sends).
 */
export type ResumeParse = { ok: true; value: unknown } | { ok: false; message: string };

/** Big enough for any real answer; a resume value is a command, not a data upload. */
export const MAX_RESUME_CHARS = 1_000_000;

export function parseResumeValue(text: unknown): ResumeParse {
  if (typeof text !== 'string') return { ok: false, message: 'The resume value must be text holding JSON.' };
  if (!text.trim()) return { ok: false, message: 'Type a JSON value to resume with, e.g. "yes" or {"approved": true}.' };
  if (text.length > MAX_RESUME_CHARS) return { ok: false, message: `The resume value is too long (${text.length} characters; at most ${MAX_RESUME_CHARS}).` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `Not valid JSON${where(text, error)}: ${reason(error)}. Strings need double quotes, e.g. "yes".` };
  }
}

/** " at line L, column C" from V8's "… at position N" (or "(line L column C)") messages. */
function where(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return ` at line ${lc[1]}, column ${lc[2]}`;
  const pos = /position (\d+)/.exec(message);
  if (!pos) return '';
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8: `Unexpected token 'y', "yes" is not valid JSON` — keep the first clause, without the echo.
  return message.replace(/\s*(\(line \d+ column \d+\)|in JSON at position \d+.*|at position \d+.*)$/, '').split(/, "/)[0]!.trim() || 'unexpected input';
}
