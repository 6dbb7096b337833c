import { createLineLocator } from './createLineLocator.js';

/** One Python token; comments, line breaks and indentation are not tokens. */
export interface PythonToken {
  kind: 'name' | 'string' | 'number' | 'op';
  /** The token as written; a string includes its prefix and quotes. */
  text: string;
  /** 1-based line of the first character. */
  line: number;
  /** 1-based line of the last character (strings can span lines). */
  endLine: number;
  /** How many brackets are open before the token. */
  depth: number;
}

/** A logical line: the tokens up to a line break outside brackets and not escaped by a backslash. */
export interface PythonLogicalLine {
  /** Width of the leading whitespace of its first physical line (a tab counts to the next multiple of 8). */
  indent: number;
  tokens: PythonToken[];
}

/** A `#` comment. */
export interface PythonComment {
  /** The comment from its `#` to the end of the line. */
  text: string;
  /** 1-based line. */
  line: number;
}

/** Prefixes a Python string literal may have (`rb"..."`, `f'...'`, `t"..."`), lowercased. */
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 't', 'br', 'rb', 'fr', 'rf', 'tr', 'rt']);
const OPERATORS = ['...', '->', ':=', '**', '//', '==', '!=', '<=', '>=', '<<', '>>'];

/**
 * Splits Python source into logical lines of tokens and its comments, as Python's tokenizer does, so that
 * text inside strings is never read as a comment and `#` inside a string is never a comment start. The
 * scan never fails: an unterminated string runs to the end of its line (or of the file, when
 * triple-quoted); the `syntax` rail reports such files.
 */
export function scanPython(options: {
  /** The module's source. */
  source: string;
}): { lines: PythonLogicalLine[]; comments: PythonComment[] } {
  const source = options.source;
  const lineOf = createLineLocator({ text: source });
  const lines: PythonLogicalLine[] = [];
  const comments: PythonComment[] = [];
  let tokens: PythonToken[] = [];
  let indent = 0;
  let depth = 0;
  let atLineStart = true;
  let index = 0;

  const push = (kind: PythonToken['kind'], start: number, end: number) => {
    tokens.push({ kind, text: source.slice(start, end), line: lineOf(start), endLine: lineOf(Math.max(start, end - 1)), depth });
  };
  const endLogicalLine = () => {
    if (tokens.length > 0) lines.push({ indent, tokens });
    tokens = [];
  };

  while (index < source.length) {
    const char = source[index] as string;
    if (atLineStart) {
      atLineStart = false;
      const width = indentationWidth(source, index);
      if (tokens.length === 0) indent = width.columns;
      index = width.end;
      continue;
    }
    if (char === '\n') {
      index += 1;
      atLineStart = true;
      if (depth === 0) endLogicalLine();
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\f') {
      index += 1;
      continue;
    }
    if (char === '#') {
      const end = lineEnd(source, index);
      comments.push({ text: source.slice(index, end), line: lineOf(index) });
      index = end;
      continue;
    }
    if (char === '\\' && /^\\\r?\n/.test(source.slice(index, index + 3))) {
      index = source.indexOf('\n', index) + 1;
      continue;
    }
    if (char === '"' || char === "'") {
      const end = stringEnd(source, index, '');
      push('string', index, end);
      index = end;
      continue;
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(char)) {
      let end = index + 1;
      while (end < source.length && /[\w\u0080-\uffff]/.test(source[end] as string)) end += 1;
      const word = source.slice(index, end);
      if ((source[end] === '"' || source[end] === "'") && STRING_PREFIXES.has(word.toLowerCase())) {
        const stringEndAt = stringEnd(source, end, word.toLowerCase());
        push('string', index, stringEndAt);
        index = stringEndAt;
      } else {
        push('name', index, end);
        index = end;
      }
      continue;
    }
    if (/\d/.test(char) || (char === '.' && /\d/.test(source[index + 1] ?? ''))) {
      let end = index + 1;
      while (end < source.length && /[\w.]|[+-]/.test(source[end] as string)) {
        if (/[+-]/.test(source[end] as string) && !/[eE]/.test(source[end - 1] as string)) break;
        end += 1;
      }
      push('number', index, end);
      index = end;
      continue;
    }
    const operator = OPERATORS.find((candidate) => source.startsWith(candidate, index)) ?? char;
    if (operator === ')' || operator === ']' || operator === '}') depth = Math.max(0, depth - 1);
    push('op', index, index + operator.length);
    if (operator === '(' || operator === '[' || operator === '{') depth += 1;
    index += operator.length;
  }
  endLogicalLine();
  return { lines, comments };
}

function indentationWidth(source: string, start: number): { columns: number; end: number } {
  let columns = 0;
  let end = start;
  for (; end < source.length; end += 1) {
    const char = source[end];
    if (char === ' ') columns += 1;
    else if (char === '\t') columns = (Math.floor(columns / 8) + 1) * 8;
    else if (char !== '\f') break;
  }
  return { columns, end };
}

function lineEnd(source: string, from: number): number {
  const end = source.indexOf('\n', from);
  return end === -1 ? source.length : end;
}

/** End offset (exclusive) of the string literal whose opening quote is at `start`. */
function stringEnd(source: string, start: number, prefix: string): number {
  const quoteChar = source[start] as string;
  const quote = source.startsWith(quoteChar.repeat(3), start) ? quoteChar.repeat(3) : quoteChar;
  const formatted = prefix.includes('f') || prefix.includes('t');
  let index = start + quote.length;
  while (index < source.length) {
    const char = source[index];
    if (char === '\\') {
      index += 2;
    } else if (source.startsWith(quote, index)) {
      return index + quote.length;
    } else if (char === '\n' && quote.length === 1) {
      return index;
    } else if (formatted && char === '{') {
      index = source[index + 1] === '{' ? index + 2 : replacementFieldEnd(source, index + 1);
    } else {
      index += 1;
    }
  }
  return source.length;
}

/** End of an f-string replacement field `{...}` whose contents start at `start`; nested strings are skipped. */
function replacementFieldEnd(source: string, start: number): number {
  let depth = 1;
  let index = start;
  while (index < source.length) {
    const char = source[index] as string;
    if (char === '"' || char === "'") {
      const prefix = /[A-Za-z]{1,2}$/.exec(source.slice(Math.max(start, index - 2), index))?.[0].toLowerCase() ?? '';
      index = stringEnd(source, index, STRING_PREFIXES.has(prefix) ? prefix : '');
      continue;
    }
    if (char === '{' || char === '(' || char === '[') depth += 1;
    else if (char === '}' || char === ')' || char === ']') depth -= 1;
    index += 1;
    if (depth === 0) return index;
  }
  return source.length;
}
