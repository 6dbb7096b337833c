import { readFile } from 'node:fs/promises';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import { createScriptedModels } from './createScriptedModels.js';
import { scriptedScriptSchema } from './scriptedScriptSchema.js';
import { ScriptInvalidError } from './ScriptInvalidError.js';

/**
 * Reads and validates a scripted model file (see scriptedScriptSchema) and returns its backend.
 * Throws ScriptInvalidError naming the file and, for shape problems, each JSON path (`$.tasks.T1.red`).
 */
export async function loadScriptedModels(options: {
  /** Path of the JSON script. */
  path: string;
  /** Pause before each streamed chunk in milliseconds. Default 0. */
  delayMs?: number;
}): Promise<JsonModelBackend> {
  const { path } = options;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ScriptInvalidError({ path, problem: `cannot read it (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScriptInvalidError({ path, problem: `not valid JSON (${(error as Error).message})`, cause: error });
  }
  const parsed = scriptedScriptSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
    throw new ScriptInvalidError({ path, problem: problems.join('\n'), cause: parsed.error });
  }
  const delayMs = options.delayMs ?? parsed.data.delayMs;
  return createScriptedModels({ script: parsed.data, scriptPath: path, ...(delayMs === undefined ? {} : { delayMs }) });
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((key) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `.${String(key)}` : `[${JSON.stringify(String(key))}]`))
    .reduce((all, part) => all + part, '$');
}
