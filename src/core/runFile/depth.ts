/**
 * How deep a run file nests, checked before parsing: the JSON parser, the schema check and
 * JSON.stringify all recurse, so a file nested 200,000 levels deep would overflow the stack
 * (a RangeError) instead of getting a message. A linear scan that skips strings and comments.
 */
import type { LineIndex } from './positions';
import type { RunFileProblem } from './problems';

/** Far deeper than any real input; shallow enough for every recursive step after parsing. */
export const MAX_NESTING = 500;

export function nestingProblem(text: string, lines: LineIndex, max = MAX_NESTING): RunFileProblem | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x2f /* / */ && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === 0x2f && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) {
        return {
          ...lines.position(i),
          offset: i,
          length: 1,
          path: [],
          message: `the JSON nests more than ${max} levels deep here; a run file's input cannot be that deep`,
          severity: 'error',
        };
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}
