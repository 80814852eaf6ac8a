/**
 * A run file's bytes as text. Run files are UTF-8 JSON (what the server reads); a file saved in
 * another encoding would send garbled text, so it is refused with the place of the first bad byte.
 */
import { LineIndex } from './positions';
import type { RunFileProblem } from './problems';
import { MAX_RUN_FILE_BYTES, sizeProblem } from './size';

export type DecodedRunFile = { ok: true; text: string } | { ok: false; problem: RunFileProblem };

export function decodeRunFile(bytes: Uint8Array): DecodedRunFile {
  if (bytes.length > MAX_RUN_FILE_BYTES) return { ok: false, problem: sizeProblem(bytes.length) };
  const whole = (message: string): DecodedRunFile => ({
    ok: false,
    problem: { line: 1, column: 1, offset: 0, length: 1, path: [], message, severity: 'error' },
  });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return whole('the file is UTF-16 text: save it as UTF-8 (run files are UTF-8 JSON)');
  }
  try {
    // The decoder drops a UTF-8 byte order mark.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const offset = Math.max(0, lenient.indexOf('\uFFFD'));
    const at = new LineIndex(lenient).position(offset);
    return {
      ok: false,
      problem: {
        ...at,
        offset,
        length: 1,
        path: [],
        message: 'the file is not UTF-8 text (the first bad byte is here): save it as UTF-8; it may be Latin-1 or Windows-1252',
        severity: 'error',
      },
    };
  }
}
