/**
 * A small tokenizer for JS/TS and Python source, enough to find `addNode("name", …)` /
 * `add_node("name", …)` calls: comments are skipped, strings (and JS template literals and regular
 * expressions) are single tokens, so a call spelled inside a comment or a string is never taken
 * for one. It does not parse; it only has to know where code is. No vscode, no DOM.
 */

export type SourceLanguage = 'js' | 'python';

export interface Token {
  kind: 'ident' | 'string' | 'punct' | 'other';
  /** An identifier's name, a punctuator, or a string's value (escapes kept as written). */
  text: string;
  /** Zero-based line and UTF-16 column of the token's first character. */
  line: number;
  character: number;
  /** Offsets in the text: [start, end). */
  start: number;
  end: number;
  /** A string whose value is fixed: no template substitution, no f-string field. */
  plain?: boolean;
}

const IDENT_START = /[A-Za-z_$\u00c0-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u00c0-\uffff]/;
/** After these a JS `/` divides; elsewhere it starts a regular expression. */
const DIVIDES_AFTER = new Set([')', ']', '}']);
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const PUNCT2 = ['?.', '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '**', '++', '--', '+=', '-=', '*=', '/=', '->', ':=', '//'];

export function tokenize(text: string, language: SourceLanguage): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 0;
  let lineStart = 0;
  const n = text.length;

  const push = (kind: Token['kind'], value: string, start: number, startLine: number, startCol: number, plain?: boolean) =>
    tokens.push({ kind, text: value, line: startLine, character: startCol, start, end: i, ...(plain === undefined ? {} : { plain }) });
  /** Moves to `to`, counting the newlines passed. */
  const advance = (to: number) => {
    for (; i < to && i < n; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\ufeff') {
      advance(i + 1);
      continue;
    }
    const start = i;
    const startLine = line;
    const startCol = i - lineStart;
    if (language === 'js' && c === '/' && text[i + 1] === '/') {
      advance(lineEnd(text, i));
      continue;
    }
    if (language === 'js' && c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      advance(close < 0 ? n : close + 2);
      continue;
    }
    if (language === 'python' && c === '#') {
      advance(lineEnd(text, i));
      continue;
    }
    if (language === 'python' && c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      advance(i + 2);
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(text[j]!)) j++;
      const word = text.slice(i, j);
      // Python string prefixes: r"…", b'…', f"…", rb'''…''' and the like.
      if (language === 'python' && (text[j] === '"' || text[j] === "'") && /^(?:[rbuf]|rb|br|fr|rf)$/i.test(word)) {
        const { end, value } = pythonString(text, j);
        advance(end);
        push('string', value, start, startLine, startCol, !/f/i.test(word));
        continue;
      }
      advance(j);
      push('ident', word, start, startLine, startCol);
      continue;
    }
    if (c === '"' || c === "'") {
      if (language === 'python') {
        const { end, value } = pythonString(text, i);
        advance(end);
        push('string', value, start, startLine, startCol, true);
      } else {
        const end = quoted(text, i, c);
        advance(end);
        push('string', text.slice(start + 1, end - 1), start, startLine, startCol, true);
      }
      continue;
    }
    if (language === 'js' && c === '`') {
      const { end, plain } = template(text, i);
      advance(end);
      push('string', text.slice(start + 1, end - 1), start, startLine, startCol, plain);
      continue;
    }
    if (language === 'js' && c === '/' && regexAllowed(tokens.at(-1))) {
      advance(regexEnd(text, i));
      push('other', text.slice(start, i), start, startLine, startCol);
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(text[j]!)) j++;
      advance(j);
      push('other', text.slice(start, j), start, startLine, startCol);
      continue;
    }
    const two = text.slice(i, i + 2);
    const punct = PUNCT2.includes(two) && !(language === 'js' && two === '//') ? two : c;
    advance(i + punct.length);
    push('punct', punct, start, startLine, startCol);
  }
  return tokens;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** A JS '…' or "…" string from its opening quote: the offset after its closing one (or the line's end). */
function quoted(text: string, from: number, quote: string): number {
  for (let j = from + 1; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === quote) return j + 1;
    else if (ch === '\n') return j;
  }
  return text.length;
}

/** A template literal from its backtick, its `${…}` substitutions (which may hold strings and templates) skipped. */
function template(text: string, from: number): { end: number; plain: boolean } {
  let plain = true;
  for (let j = from + 1; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '`') return { end: j + 1, plain };
    else if (ch === '$' && text[j + 1] === '{') {
      plain = false;
      j = substitutionEnd(text, j + 2) - 1;
    }
  }
  return { end: text.length, plain };
}

/** From inside `${`, the offset after its closing `}`. */
function substitutionEnd(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    const ch = text[j]!;
    if (ch === '"' || ch === "'") j = quoted(text, j, ch) - 1;
    else if (ch === '`') j = template(text, j).end - 1;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return j + 1;
  }
  return text.length;
}

function regexAllowed(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'ident') return REGEX_AFTER_WORDS.has(previous.text);
  if (previous.kind === 'string' || previous.kind === 'other') return false;
  return !DIVIDES_AFTER.has(previous.text);
}

/** A regular expression literal from its `/`: a `/` inside a class `[…]` does not end it. */
function regexEnd(text: string, from: number): number {
  let inClass = false;
  for (let j = from + 1; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '\n') return j;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '/') {
      let k = j + 1;
      while (k < text.length && /[a-z]/i.test(text[k]!)) k++;
      return k;
    }
  }
  return text.length;
}

/** A Python string from its opening quote ('…', "…", '''…''', """…"""): its end and its value. */
function pythonString(text: string, from: number): { end: number; value: string } {
  const q = text[from]!;
  const triple = text.startsWith(q.repeat(3), from);
  const close = triple ? q.repeat(3) : q;
  const bodyStart = from + close.length;
  for (let j = bodyStart; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (!triple && ch === '\n') return { end: j, value: text.slice(bodyStart, j) };
    else if (text.startsWith(close, j)) return { end: j + close.length, value: text.slice(bodyStart, j) };
  }
  return { end: text.length, value: text.slice(bodyStart) };
}
