import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { modelCatalogOverrideSchema, type ModelCatalogOverride } from './modelCatalogOverrideSchema.js';
import { modelCatalogSchema, type CatalogModel, type CatalogProfile, type ModelCatalog } from './modelCatalogSchema.js';
import { findPackageRoot } from '../../node/findPackageRoot.js';
import { ModelCatalogError } from './ModelCatalogError.js';

/**
 * Reads the model catalog and applies override files in order (later wins): a model or profile whose id
 * exists is merged field by field, a new id is added. Override files that do not exist are skipped, so
 * callers can always pass the global and project locations. Throws ModelCatalogError naming the file and
 * each JSON path at fault; for problems that only show after merging, the file that last defined the
 * model or profile.
 */
export async function loadModelCatalog(
  options: {
    /** The base catalog. Default: the `models.json` shipped with Nightshift. */
    path?: string;
    /** Override files applied in order, e.g. `~/.nightshift/models.json` then `<root>/nightshift.models.json`. */
    overrides?: string[];
  } = {},
): Promise<ModelCatalog> {
  const basePath = options.path ?? shippedCatalogPath();
  const baseJson = await readJson(basePath, false);
  const base = validate(modelCatalogSchema, baseJson, basePath);
  const origins = { models: new Map<string, string>(), profiles: new Map<string, string>() };
  for (const model of base.models) origins.models.set(model.id, basePath);
  for (const profile of base.profiles) origins.profiles.set(profile.id, basePath);

  let merged: unknown = base;
  for (const overridePath of options.overrides ?? []) {
    const json = await readJson(overridePath, true);
    if (json === undefined) continue;
    const override = validate(modelCatalogOverrideSchema, json, overridePath);
    merged = applyOverride(merged as MergeableCatalog, override, overridePath, origins);
  }
  if (merged === base) return base;

  const parsed = modelCatalogSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const problemsByFile = new Map<string, string[]>();
  const mergedCatalog = merged as MergeableCatalog;
  for (const issue of parsed.error.issues) {
    const [section, index] = issue.path;
    let file = basePath;
    let owner = '';
    if ((section === 'models' || section === 'profiles') && typeof index === 'number') {
      const id = mergedCatalog[section][index]?.id ?? '';
      file = origins[section].get(id) ?? basePath;
      owner = ` (${section === 'models' ? 'model' : 'profile'} "${id}")`;
    }
    const lines = problemsByFile.get(file) ?? [];
    lines.push(`${jsonPath(issue.path)}${owner}: ${issue.message}`);
    problemsByFile.set(file, lines);
  }
  const entries = [...problemsByFile];
  const problem =
    entries.length === 1 ? entries[0]![1].join('\n') : entries.flatMap(([file, lines]) => lines.map((line) => `${file}: ${line}`)).join('\n');
  throw new ModelCatalogError({ path: entries.at(-1)![0], problem, cause: parsed.error });
}

interface MergeableCatalog {
  minimumContext: Record<string, number>;
  models: Array<Partial<CatalogModel> & { id: string }>;
  profiles: Array<Partial<CatalogProfile> & { id: string }>;
  [key: string]: unknown;
}

function applyOverride(
  catalog: MergeableCatalog,
  override: ModelCatalogOverride,
  path: string,
  origins: { models: Map<string, string>; profiles: Map<string, string> },
): MergeableCatalog {
  const models = [...catalog.models];
  for (const model of override.models ?? []) {
    const index = models.findIndex((existing) => existing.id === model.id);
    const existing = index === -1 ? undefined : models[index]!;
    const architecture = existing?.architecture || model.architecture ? { ...existing?.architecture, ...model.architecture } : undefined;
    const next = { ...existing, ...model, ...(architecture ? { architecture } : {}) } as MergeableCatalog['models'][number];
    if (index === -1) models.push(next);
    else models[index] = next;
    origins.models.set(model.id, path);
  }
  const profiles = [...catalog.profiles];
  for (const profile of override.profiles ?? []) {
    const index = profiles.findIndex((existing) => existing.id === profile.id);
    const existing = index === -1 ? undefined : profiles[index]!;
    const roles: Record<string, unknown> = { ...existing?.roles };
    for (const [role, assignment] of Object.entries(profile.roles ?? {})) {
      roles[role] = { ...(roles[role] as object | undefined), ...assignment };
    }
    const next = { ...existing, ...profile, roles } as MergeableCatalog['profiles'][number];
    if (index === -1) profiles.push(next);
    else profiles[index] = next;
    origins.profiles.set(profile.id, path);
  }
  return { ...catalog, minimumContext: { ...catalog.minimumContext, ...override.minimumContext }, models, profiles };
}

/** Parsed JSON of a file; `undefined` when it does not exist and `optional` is set. */
async function readJson(path: string, optional: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return undefined;
    throw new ModelCatalogError({ path, problem: `cannot read it (${code ?? 'unknown error'})`, cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelCatalogError({ path, problem: `not valid JSON (${(error as Error).message})`, cause: error });
  }
}

function validate<T>(schema: z.ZodType<T>, json: unknown, path: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
  throw new ModelCatalogError({ path, problem: problems.join('\n'), cause: parsed.error });
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((key) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `.${String(key)}` : `[${JSON.stringify(String(key))}]`))
    .reduce((all, part) => all + part, '$');
}

/**
 * The catalog shipped at the package root, found by walking up from this module: the path differs between
 * the source tree (src/runtime/catalog/) and the bundled CLI (out/cli/).
 */
function shippedCatalogPath(): string {
  const root = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
  return join(root ?? '.', 'models.json');
}
