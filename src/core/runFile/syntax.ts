/**
 * JSON syntax errors in words, at the line and column where they are. jsonc-parser (the parser
 * VS Code itself uses) gives positions and keeps going after an error; only the first error is
 * reported, because the ones after it are usually echoes of it.
 */
import { printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { LineIndex } from './positions';
import type { RunFileProblem } from './problems';

const WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a key in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the key',
  CommaExpected: 'expected "," between items',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the list',
  EndOfFileExpected: 'unexpected text after the JSON value (a run file holds one object)',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string (a string closes with " on the same line; write line breaks as \\n)',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'control character (such as a raw newline or tab) inside a string',
};

export function syntaxProblem(text: string, error: ParseError, lines: LineIndex): RunFileProblem {
  const code = printParseErrorCode(error.error);
  let offset = error.offset;
  let length = Math.max(1, error.length);
  let message = WORDS[code] ?? code;

  const found = text.slice(error.offset, error.offset + Math.min(error.length || 1, 20));
  if ((code === 'PropertyNameExpected' || code === 'ValueExpected') && /^[}\]]/.test(found)) {
    const comma = previousNonSpace(text, error.offset);
    if (comma >= 0 && text[comma] === ',') {
      offset = comma;
      length = 1;
      message = 'trailing comma after the last item (JSON does not allow it)';
    }
  } else if (found.startsWith("'")) {
    message = 'strings and keys need double quotes ("), not single quotes';
  } else if ((code === 'PropertyNameExpected' || code === 'InvalidSymbol') && /^[A-Za-z_$]/.test(found) && /[{,]/.test(text[previousNonSpace(text, error.offset)] ?? '')) {
    message = `keys need double quotes: "${/^[\w$-]+/.exec(found)?.[0] ?? found}"`;
  } else if (error.offset >= text.length && (code === 'CloseBraceExpected' || code === 'CloseBracketExpected' || code === 'ValueExpected')) {
    message = `the file ends too early: ${message}`;
  } else if (code === 'InvalidSymbol' || code === 'ValueExpected') {
    const shown = found.trim().split(/\s/)[0];
    if (shown) message = `${message} ${JSON.stringify(shown.slice(0, 12))}`;
    if (/^(undefined|NaN|Infinity|True|False|None)\b/.test(found)) message += ' (JSON has only true, false, null, numbers and strings)';
  }
  const where = lines.position(offset);
  return { ...where, offset, length, path: [], message: `invalid JSON: ${message}`, severity: 'error' };
}

function previousNonSpace(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i;
}
