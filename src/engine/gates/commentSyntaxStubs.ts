import { commentMarkerLines } from './commentMarkerLines.js';
import { createLineLocator } from './createLineLocator.js';
import { placeholderMessageKind } from './placeholderMessageKind.js';
import type { StubFinding } from './StubFinding.js';

/** How one family of languages writes comments and strings; enough to tell a comment from code. */
interface Syntax {
  /** Line comment opener. */
  line: '//' | '#';
  /** Whether `/* ... *\/` block comments exist, and whether they nest (Rust). */
  block: 'none' | 'flat' | 'nested';
  /** `#` opens a comment only at the start of a word (shell: `$#`, `${#x}` are code). */
  hashAtWordStart?: boolean;
  /** `'...'` is a string without escapes (shell) rather than one with escapes (Ruby) or a character. */
  singleQuote: 'char' | 'string' | 'raw';
  /** Go's backtick raw strings. */
  backtickRaw?: boolean;
  /** Rust: `'a` is a lifetime, and `r#"..."#` a raw string. */
  rust?: boolean;
  /** Java text blocks `"""..."""`. */
  textBlocks?: boolean;
  /** Ruby's `=begin` ... `=end` block comments. */
  rubyBlocks?: boolean;
  /** Quoted strings may span lines (Rust, Ruby, shell); in C, Java and Go a line break ends an unclosed one. */
  multilineStrings?: boolean;
}

const C_FAMILY: Syntax = { line: '//', block: 'flat', singleQuote: 'char' };
const LANGUAGES: Array<{ extension: RegExp; syntax: Syntax }> = [
  { extension: /\.(?:c|h|cc|cpp|cxx|hh|hpp)$/i, syntax: C_FAMILY },
  { extension: /\.java$/i, syntax: { ...C_FAMILY, textBlocks: true } },
  { extension: /\.go$/i, syntax: { ...C_FAMILY, backtickRaw: true } },
  { extension: /\.rs$/i, syntax: { ...C_FAMILY, block: 'nested', rust: true, multilineStrings: true } },
  { extension: /\.rb$/i, syntax: { line: '#', block: 'none', singleQuote: 'string', rubyBlocks: true, multilineStrings: true } },
  { extension: /\.(?:sh|bash)$/i, syntax: { line: '#', block: 'none', singleQuote: 'raw', hashAtWordStart: true, multilineStrings: true } },
];
/** Error classes whose name alone says "not written yet". */
const NOT_IMPLEMENTED_ERROR = /^(?:NotImplemented|Unimplemented)(?:Error|Exception)?$/;

interface Token {
  kind: 'word' | 'string' | 'punct';
  /** A word or punctuation as written; a string's contents without quotes. */
  text: string;
  start: number;
}

/**
 * Placeholders in source files of languages Nightshift does not parse (C and C++, Java, Go, Rust, Ruby,
 * shell), read with each language's comment and string syntax: TODO/FIXME/XXX in comments, Rust's
 * `unimplemented!()` and `todo!()`, Ruby's `raise NotImplementedError`, and errors thrown, raised or
 * panicked with a "not implemented" or "TODO" message. Files of other languages are not read at all: an
 * empty list, never a guess.
 */
export function commentSyntaxStubs(options: {
  /** Workspace-relative path; its extension selects the syntax. */
  path: string;
  /** The file's content after the change. */
  content: string;
}): StubFinding[] {
  const syntax = LANGUAGES.find((language) => language.extension.test(options.path))?.syntax;
  if (!syntax) return [];
  const text = options.content;
  const lineOf = createLineLocator({ text });
  const sourceLines = text.split('\n');
  const findings: StubFinding[] = [];
  const report = (line: number, label: string) => {
    findings.push({ line, endLine: line, message: `${label}: ${(sourceLines[line - 1] ?? '').trim()}` });
  };

  const { tokens, comments } = scan(text, syntax);
  for (const comment of comments) {
    for (const line of commentMarkerLines({ text: text.slice(comment.start, comment.end), firstLine: lineOf(comment.start) })) {
      report(line, 'TODO/FIXME');
    }
  }
  tokens.forEach((token, index) => {
    if (token.kind !== 'word') return;
    const next = tokens[index + 1];
    if (syntax.rust && (token.text === 'unimplemented' || token.text === 'todo') && next?.text === '!') {
      report(lineOf(token.start), token.text === 'todo' ? 'todo!' : 'unimplemented');
    } else if (token.text === 'raise' && next?.kind === 'word' && NOT_IMPLEMENTED_ERROR.test(next.text)) {
      report(lineOf(token.start), `raise ${next.text}`);
    } else if (token.text === 'throw' || token.text === 'panic' || token.text === 'raise') {
      const line = lineOf(token.start);
      const statement: Token[] = [];
      for (let at = index + 1; at < tokens.length; at += 1) {
        const candidate = tokens[at] as Token;
        if (candidate.text === ';' || lineOf(candidate.start) !== line) break;
        statement.push(candidate);
      }
      const message = statement.find((candidate) => candidate.kind === 'string');
      const kind = statement.some((candidate) => candidate.kind === 'word' && NOT_IMPLEMENTED_ERROR.test(candidate.text))
        ? 'not implemented'
        : message
          ? placeholderMessageKind({ message: message.text })
          : null;
      if (kind) report(line, `${token.text} "${kind}"`);
    }
  });
  return findings;
}

/** Code tokens and comment spans of `text`; strings are tokens, so a `#` or `//` inside one is not a comment. */
function scan(text: string, syntax: Syntax): { tokens: Token[]; comments: Array<{ start: number; end: number }> } {
  const tokens: Token[] = [];
  const comments: Array<{ start: number; end: number }> = [];
  let index = 0;
  const lineEnd = (from: number) => (text.indexOf('\n', from) === -1 ? text.length : text.indexOf('\n', from));
  const string = (start: number, open: number, close: string, escapes: boolean) => {
    let at = open;
    while (at < text.length && !text.startsWith(close, at)) {
      if (close.length === 1 && close !== '`' && text[at] === '\n' && !syntax.multilineStrings) break;
      at += escapes && text[at] === '\\' ? 2 : 1;
    }
    tokens.push({ kind: 'string', text: text.slice(open, at), start });
    index = text.startsWith(close, at) ? at + close.length : Math.min(text.length, at);
  };
  while (index < text.length) {
    const char = text[index] as string;
    const atLineStart = index === 0 || text[index - 1] === '\n';
    if (syntax.rubyBlocks && atLineStart && text.startsWith('=begin', index)) {
      const close = text.indexOf('\n=end', index);
      const end = close === -1 ? text.length : lineEnd(close + 1);
      comments.push({ start: index, end });
      index = end;
    } else if (text.startsWith(syntax.line, index) && (!syntax.hashAtWordStart || index === 0 || /[\s;|&()]/.test(text[index - 1] as string))) {
      comments.push({ start: index, end: lineEnd(index) });
      index = lineEnd(index);
    } else if (syntax.block !== 'none' && text.startsWith('/*', index)) {
      let depth = 0;
      let at = index;
      do {
        if (text.startsWith('/*', at)) {
          depth += 1;
          at += 2;
        } else if (text.startsWith('*/', at)) {
          depth = syntax.block === 'nested' ? depth - 1 : 0;
          at += 2;
        } else {
          at += 1;
        }
      } while (depth > 0 && at < text.length);
      comments.push({ start: index, end: at });
      index = at;
    } else if (syntax.textBlocks && text.startsWith('"""', index)) {
      string(index, index + 3, '"""', true);
    } else if (syntax.rust && /^r#*"/.test(text.slice(index, index + 40)) && !/\w/.test(text[index - 1] ?? '')) {
      const hashes = (/^r(#*)"/.exec(text.slice(index, index + 40)) as RegExpExecArray)[1] as string;
      string(index, index + 2 + hashes.length, `"${hashes}`, false);
    } else if (char === '"') {
      string(index, index + 1, '"', true);
    } else if (char === '`' && syntax.backtickRaw) {
      string(index, index + 1, '`', false);
    } else if (char === "'" && syntax.rust && !/^'(?:\\|.')/u.test(text.slice(index, index + 4))) {
      tokens.push({ kind: 'punct', text: char, start: index });
      index += 1;
    } else if (char === "'") {
      string(index, index + 1, "'", syntax.singleQuote !== 'raw');
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_]\w*/.exec(text.slice(index, index + 200))?.[0] as string;
      tokens.push({ kind: 'word', text: word, start: index });
      index += word.length;
    } else {
      if (!/\s/.test(char)) tokens.push({ kind: 'punct', text: char, start: index });
      index += 1;
    }
  }
  return { tokens, comments };
}
