import { resolve } from 'node:path';
import type { ModelsSpec } from './ModelsSpec.js';
import { ModelsSpecError } from './ModelsSpecError.js';

/**
 * The one parser of `--models`, for every command and the app: `local`, `local:FILE.gguf`,
 * `scripted:FILE` and `openai:<http(s) base URL>#<model>`. Everything after the first colon is the
 * argument, so paths and model names may hold colons. Throws ModelsSpecError for an unknown kind, a
 * `scripted:` without a file, and an `openai:` without an http(s) URL or a model name.
 */
export function parseModelsSpec(options: {
  /** The `--models` value. */
  spec: string;
  /** Directory that relative file paths resolve against. */
  cwd: string;
}): ModelsSpec {
  const { spec, cwd } = options;
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? spec : spec.slice(0, colon);
  const argument = colon === -1 ? '' : spec.slice(colon + 1);
  switch (kind) {
    case 'local':
      return { kind: 'local', modelPath: argument ? resolve(cwd, argument) : null };
    case 'scripted':
      if (!argument) throw new ModelsSpecError({ spec, problem: 'names no script file' });
      return { kind: 'scripted', scriptPath: resolve(cwd, argument) };
    case 'openai': {
      const separator = argument.indexOf('#');
      const baseUrl = separator === -1 ? argument : argument.slice(0, separator);
      const model = separator === -1 ? '' : argument.slice(separator + 1);
      if (!model || !URL.canParse(baseUrl) || !['http:', 'https:'].includes(new URL(baseUrl).protocol)) {
        throw new ModelsSpecError({ spec, problem: 'needs an http(s) base URL and a model name' });
      }
      return { kind: 'openai', baseUrl, model };
    }
    default:
      throw new ModelsSpecError({ spec, problem: 'names no known model backend' });
  }
}
