import { z } from 'zod';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import { lineChanges } from '../gates/lineChanges.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { FileChange } from '../ports/Vcs.js';
import { findScriptMutations } from './findScriptMutations.js';
import type { Mutant } from './Mutant.js';
import { MUTANT_KINDS } from './MUTANT_KINDS.js';
import type { MutationCandidate } from './MutationCandidate.js';
import { runPythonTool } from './runPythonTool.js';

const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
/** Declaration files hold types only: nothing in them runs. */
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;
const candidateSchema = z.object({
  kind: z.enum(MUTANT_KINDS),
  line: z.number().int().positive(),
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  text: z.string(),
  original: z.string(),
  replacement: z.string(),
});
const answerSchema = z.object({ files: z.array(z.object({ path: z.string(), candidates: z.array(candidateSchema) })) });

/**
 * A few deterministic mutants of the lines a change added or modified (after-side line numbers), for
 * checking that its new tests notice a broken implementation. Operators, in this order of preference:
 * flipped comparison, integer constant plus one, returned value replaced by None/undefined, `and`/`or`
 * (`&&`/`||`) swapped, boolean literal flipped, `+`/`-` swapped. The first mutant of each kind comes
 * first, then the second of each, and so on, taking files in the order given and lines in source order, so
 * the same change always gives the same mutants. Each mutant parses and differs from the file only on
 * changed lines. Python is read with `ast` in the sandbox (throws `AnalysisToolError` when a changed Python
 * file does not parse); JS/TS with the TypeScript parser in process.
 */
export async function createMutants(options: {
  /** The change's non-test code files, each with its content before and after the change. */
  changes: FileChange[];
  /** Most mutants returned. Default 4. */
  limit?: number;
  /** Where the Python helper runs. */
  sandbox: Sandbox;
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** Parsed nightshift.json: limits for the Python helper. */
  config: ProjectConfig;
  signal?: AbortSignal;
}): Promise<Mutant[]> {
  const limit = options.limit ?? 4;
  const files = options.changes
    .filter((change): change is FileChange & { after: string } => change.after !== null && (change.path.endsWith('.py') || (SCRIPT_FILE.test(change.path) && !DECLARATION_FILE.test(change.path))))
    .map((change) => ({ path: change.path, content: change.after, lines: lineChanges(change).added.map((added) => added.line) }))
    .filter((file) => file.lines.length > 0);
  if (limit <= 0 || files.length === 0) return [];
  const found = new Map<string, MutationCandidate[]>();
  const python = files.filter((file) => file.path.endsWith('.py'));
  if (python.length > 0) {
    const answer = await runPythonTool({
      tool: 'transform_python',
      input: { operation: 'mutate', limit, files: python },
      schema: answerSchema,
      sandbox: options.sandbox,
      workspaceDir: options.workspaceDir,
      config: options.config,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for (const file of answer.files) found.set(file.path, file.candidates);
  }
  const byKind = new Map<MutationCandidate['kind'], Array<{ file: (typeof files)[number]; candidate: MutationCandidate }>>(MUTANT_KINDS.map((kind) => [kind, []]));
  for (const file of files) {
    const candidates = file.path.endsWith('.py') ? (found.get(file.path) ?? []) : findScriptMutations({ ...file, limit });
    for (const candidate of candidates) byKind.get(candidate.kind)?.push({ file, candidate });
  }
  const chosen: Array<{ file: (typeof files)[number]; candidate: MutationCandidate }> = [];
  for (let round = 0; chosen.length < limit; round += 1) {
    const picked = MUTANT_KINDS.map((kind) => byKind.get(kind)?.[round]).filter((entry) => entry !== undefined);
    if (picked.length === 0) break;
    chosen.push(...picked.slice(0, limit - chosen.length));
  }
  const ids = new Map<string, number>();
  return chosen.map(({ file, candidate }) => {
    const base = `${file.path}:${candidate.line}:${candidate.kind}`;
    const count = (ids.get(base) ?? 0) + 1;
    ids.set(base, count);
    const lines = file.content.split('\n');
    lines.splice(candidate.startLine - 1, candidate.endLine - candidate.startLine + 1, ...candidate.text.split('\n'));
    return {
      id: count === 1 ? base : `${base}:${count}`,
      file: file.path,
      line: candidate.line,
      kind: candidate.kind,
      description: `${file.path}:${candidate.line}: \`${shorten(candidate.original)}\` -> \`${shorten(candidate.replacement)}\``,
      content: lines.join('\n'),
    };
  });
}

function shorten(code: string): string {
  const flat = code.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
