import { NightshiftError } from '../../shared/NightshiftError.js';

/** A model catalog or override file cannot be read, is not JSON, or does not fit the catalog schema. */
export class ModelCatalogError extends NightshiftError {
  constructor(options: {
    /** The file at fault. */
    path: string;
    /** What is wrong; for schema problems one `$.json.path: message` per line. */
    problem: string;
    cause?: unknown;
  }) {
    super({
      code: 'MODEL_CATALOG_INVALID',
      message: `Invalid model catalog ${options.path}: ${options.problem}`,
      hint:
        'Fix the named field. Override files (~/.nightshift/models.json, <project>/nightshift.models.json) hold any part of models.json: ' +
        '{ "models": [{ "id", ...fields to change }], "profiles": [{ "id", "roles": { "coder": { "contextSize": 32768 } } }], "minimumContext": {...} }.',
      context: { path: options.path, problem: options.problem },
      cause: options.cause,
    });
  }
}
