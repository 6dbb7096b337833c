import type { IntegrityFinding } from './IntegrityFinding.js';

/** Settings that decide which files, classes and functions pytest collects. */
const SELECTION_KEYS = ['testpaths', 'python_files', 'python_classes', 'python_functions', 'norecursedirs'];
/** `addopts` flags that deselect, ignore or stop collecting tests; each takes a value. */
const VALUE_FLAGS = ['-k', '-m', '--ignore', '--ignore-glob', '--deselect'];
const BARE_FLAGS = ['--co', '--collect-only', '--lf', '--last-failed', '--sw', '--stepwise'];
const INI_SECTIONS = new Set(['pytest', 'tool:pytest']);
const TOML_TABLES = new Set(['tool.pytest.ini_options', 'tool.pytest']);

interface Setting {
  /** The value as words (formatting, quoting and comments dropped). */
  words: string[];
  line: number;
}

/**
 * Compares pytest's configuration in `pytest.ini`, `.pytest.ini`, `tox.ini`, `setup.cfg` (`[pytest]`,
 * `[tool:pytest]`) or `pyproject.toml` (`[tool.pytest.ini_options]`, `[tool.pytest]`) before and after a
 * change: any change to `testpaths`, `python_files`, `python_classes`, `python_functions` or
 * `norecursedirs`, and `addopts` gaining `-k`, `-m`, `--ignore`, `--ignore-glob`, `--deselect`, `--co`, `--lf`
 * or `--sw`, narrows which tests run. Other settings are free to change.
 */
export function findPytestConfigNarrowing(options: {
  /** Workspace-relative path; the file name picks the format. */
  path: string;
  /** Content before the change; null when the file is new. */
  before: string | null;
  /** Content after the change; null when the file is deleted. */
  after: string | null;
}): IntegrityFinding[] {
  const read = options.path.endsWith('.toml') ? readToml : readIni;
  const before = options.before === null ? new Map<string, Setting>() : read(options.before);
  const after = options.after === null ? new Map<string, Setting>() : read(options.after);
  const findings: IntegrityFinding[] = [];
  const finding = (line: number, message: string) => findings.push({ file: options.path, line, test: null, message });
  for (const key of SELECTION_KEYS) {
    const old = before.get(key)?.words.join(' ') ?? null;
    const now = after.get(key);
    if (old !== (now?.words.join(' ') ?? null)) {
      finding(now?.line ?? 1, `pytest's ${key} changes (${describe(old)} -> ${describe(now?.words.join(' ') ?? null)}), which changes which tests are collected`);
    }
  }
  const oldFlags = narrowingFlags(before.get('addopts')?.words ?? []);
  const addopts = after.get('addopts');
  for (const flag of narrowingFlags(addopts?.words ?? [])) {
    const index = oldFlags.indexOf(flag);
    if (index !== -1) oldFlags.splice(index, 1);
    else finding(addopts?.line ?? 1, `pytest's addopts gains \`${flag}\`, which deselects or skips tests`);
  }
  return findings;
}

function describe(value: string | null): string {
  return value === null ? 'unset' : `\`${value}\``;
}

function narrowingFlags(words: string[]): string[] {
  const flags: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    const joined = VALUE_FLAGS.find((flag) => flag.startsWith('--') && word.startsWith(`${flag}=`));
    if (VALUE_FLAGS.includes(word)) {
      flags.push(`${word} ${words[index + 1] ?? ''}`.trim());
      index += 1;
    } else if (joined) flags.push(`${joined} ${word.slice(joined.length + 1)}`);
    else if (/^-[km]./.test(word)) flags.push(`${word.slice(0, 2)} ${word.slice(2)}`);
    else if (BARE_FLAGS.includes(word)) flags.push(word);
  }
  return flags;
}

/** iniconfig's rules: `[section]`, `key = value` or `key: value`, indented continuation lines, `#`/`;` comments. */
function readIni(content: string): Map<string, Setting> {
  const settings = new Map<string, Setting>();
  let section: string | null = null;
  let current: Setting | null = null;
  content.split(/\r?\n/).forEach((raw, index) => {
    if (/^\s*[#;]/.test(raw) || raw.trim() === '') return;
    const header = /^\[([^\]]+)\]/.exec(raw);
    if (header) {
      section = (header[1] as string).trim();
      current = null;
      return;
    }
    if (/^\s/.test(raw)) {
      if (current) current.words.push(...shellWords(raw));
      return;
    }
    const assignment = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(raw);
    current = null;
    if (assignment && section !== null && INI_SECTIONS.has(section)) {
      current = { words: shellWords(assignment[2] as string), line: index + 1 };
      settings.set(assignment[1] as string, current);
    }
  });
  return settings;
}

/** The keys of pytest's TOML tables; string values are split into words, arrays keep one word per string. */
function readToml(content: string): Map<string, Setting> {
  const settings = new Map<string, Setting>();
  const lines = content.split(/\r?\n/);
  let table: string | null = null;
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] as string;
    const header = /^\s*\[\s*([^[\]]+?)\s*\]\s*(?:#.*)?$/.exec(raw);
    if (header) {
      table = (header[1] as string).replace(/\s*\.\s*/g, '.').replace(/"/g, '');
      continue;
    }
    if (/^\s*\[\[/.test(raw)) {
      table = null;
      continue;
    }
    const assignment = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(raw);
    if (!assignment || table === null || !TOML_TABLES.has(table)) continue;
    const line = index + 1;
    let value = assignment[2] as string;
    while (!complete(value) && index + 1 < lines.length) {
      index += 1;
      value += `\n${lines[index]}`;
    }
    settings.set(assignment[1] as string, { words: tomlWords(value), line });
  }
  return settings;
}

const TOML_STRING = /"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'[^'\n]*'/g;

/** Whether a TOML value's brackets and multi-line strings are closed. */
function complete(value: string): boolean {
  const openString = /"""|'''/.test(value.replace(TOML_STRING, ''));
  if (openString) return false;
  const bare = value.replace(TOML_STRING, '').replace(/#.*$/gm, '');
  const depth = (bare.match(/[[{]/g)?.length ?? 0) - (bare.match(/[\]}]/g)?.length ?? 0);
  return depth <= 0;
}

function tomlWords(value: string): string[] {
  const strings = [...value.matchAll(TOML_STRING)].map((match) => tomlString(match[0]));
  const bare = value.replace(TOML_STRING, ' ').replace(/#.*$/gm, '');
  if (!/^\s*\[/.test(bare)) return strings.length > 0 ? strings.flatMap(shellWords) : shellWords(bare);
  return strings;
}

function tomlString(literal: string): string {
  if (literal.startsWith('"""') || literal.startsWith("'''")) return literal.slice(3, -3);
  if (literal.startsWith("'")) return literal.slice(1, -1);
  return literal.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/** Splits like a POSIX shell does for plain words and quotes (no expansions). */
function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/(?:[^\s'"]+|'[^']*'|"(?:\\.|[^"\\])*")+/g)) {
    words.push(match[0].replace(/'([^']*)'|"((?:\\.|[^"\\])*)"/g, (_, single: string | undefined, double: string | undefined) => single ?? (double ?? '').replace(/\\(.)/g, '$1')));
  }
  return words;
}
