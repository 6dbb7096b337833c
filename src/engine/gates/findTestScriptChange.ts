import type { IntegrityFinding } from './IntegrityFinding.js';

/**
 * Reports a change to an existing `package.json`'s `scripts.test`, which decides what `npm test` runs. A new
 * `package.json` replaces no test script; one that does not parse is left to the syntax rail.
 */
export function findTestScriptChange(options: {
  /** Workspace-relative path of the package.json. */
  path: string;
  /** Content before the change; null when the file is new. */
  before: string | null;
  /** Content after the change; null when the file is deleted. */
  after: string | null;
}): IntegrityFinding[] {
  if (options.before === null) return [];
  const old = testScript(options.before);
  const now = options.after === null ? undefined : testScript(options.after);
  if (old === null || now === null || old === now) return [];
  const lines = options.after?.split('\n') ?? [];
  const scripts = lines.findIndex((line) => /"scripts"\s*:/.test(line));
  const at = scripts === -1 ? -1 : lines.findIndex((line, index) => index >= scripts && /^\s*"test"\s*:/.test(line));
  const describe = (script: string | undefined) => (script === undefined ? 'unset' : JSON.stringify(script));
  return [{ file: options.path, line: at + 1 || 1, test: null, message: `scripts.test changes from ${describe(old)} to ${describe(now)}, which changes which tests run` }];
}

/** The test script, undefined when there is none, null when the file is not a JSON object. */
function testScript(content: string): string | undefined | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const scripts = (parsed as { scripts?: unknown }).scripts;
  if (typeof scripts !== 'object' || scripts === null) return undefined;
  const test = (scripts as { test?: unknown }).test;
  return typeof test === 'string' ? test : undefined;
}
