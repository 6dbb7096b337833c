import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkRepository } from '../engine/preflight/checkRepository.js';
import type { ProjectRecord } from '../engine/ports/Store.js';
import type { Vcs } from '../engine/ports/Vcs.js';
import { describeStackSource } from '../engine/stack/describeStackSource.js';
import { detectStack } from '../engine/stack/detectStack.js';
import { parseProjectConfig } from '../engine/stack/parseProjectConfig.js';
import { countChangedFiles } from '../engine/vcs/countChangedFiles.js';
import { probeSandboxChoice } from '../sandbox/probeSandboxChoice.js';
import { NightshiftError } from '../shared/NightshiftError.js';
import { projectConfigSchema, type ProjectConfig } from '../shared/projectConfigSchema.js';
import type { ProjectDetails, ProjectSummary } from '../shared/protocol.js';
import type { HostContext } from './HostContext.js';
import { sandboxOverridesOf } from './sandboxOverridesOf.js';

const CONFIG_FILE = 'nightshift.json';

/**
 * Everything the Projects view shows about an opened project, read without changing anything and without
 * running the suite: the repository's state and what stops a session, the test stack, nightshift.json as
 * written with why it is refused, the sandbox a session would get (probed, nothing built), the saved
 * settings and the last baseline. Each part that cannot be read says why instead of failing the whole.
 */
export async function inspectProject(options: {
  context: HostContext;
  vcs: Vcs;
  project: ProjectRecord;
}): Promise<ProjectDetails> {
  const { context, vcs, project } = options;
  const root = project.path;
  const recent = context.store.listRecentProjects().find((other) => other.id === project.id);
  const summary: ProjectSummary = {
    id: project.id,
    path: project.path,
    name: project.name,
    lastOpenedAt: recent?.lastOpenedAt ?? project.createdAt,
    sessions: recent?.sessions ?? context.store.listSessions({ projectId: project.id }).length,
    backlogTasks: recent?.backlogTasks ?? context.store.listBacklog(project.id).length,
    available: existsSync(join(root, '.git')),
  };

  const repo = await vcs.inspectRepo({ repoDir: root }).catch(() => null);
  const problems = (await checkRepository({ vcs, repoDir: root }))
    .filter((check) => check.status !== 'ok')
    .map((check) => `${check.detail} ${check.fix}`.trim());
  const dirtyFiles = await countChangedFiles({ repoDir: root }).catch(() => 0);

  // Sessions judge the project as committed, so nightshift.json is read at HEAD (the working tree's copy
  // only when there is no commit yet).
  const committedText = repo ? await vcs.readFileAt({ repoDir: root, commitOid: repo.headOid, path: CONFIG_FILE }) : null;
  const workingText = await readFile(join(root, CONFIG_FILE), 'utf8').catch(() => null);
  const configText = repo ? committedText : workingText;
  if (repo && committedText !== workingText) {
    problems.push(`${CONFIG_FILE} has uncommitted changes; sessions use the committed version. Commit it to make the changes count.`);
  }
  const configResult = readConfig({ text: configText, file: join(root, CONFIG_FILE) });
  const config = configResult.config ?? projectConfigSchema.parse({});

  let stack: ProjectDetails['stack'];
  let sandboxStack: 'python' | 'node' = 'node';
  try {
    const detected = await detectStack({ root, config });
    sandboxStack = detected.sourceLanguage === 'python' ? 'python' : 'node';
    stack = { language: detected.sourceLanguage, testCommand: detected.testCommand, source: await describeStackSource({ root, config, stack: detected }) };
  } catch (error) {
    if (!(error instanceof NightshiftError)) throw error;
    stack = { language: 'unknown', testCommand: null, source: `${error.message} ${error.hint}` };
  }

  const settings = context.settingsOf(project);
  const overrides = sandboxOverridesOf({ settings });
  const sandbox = await probeSandboxChoice({
    preference: overrides.preference ?? config.sandbox,
    allowUnsandboxed: overrides.allowUnsandboxed,
    stack: sandboxStack,
    ...(config.sandboxImage ? { sandboxImage: config.sandboxImage } : {}),
  });

  return {
    project: summary,
    git: { branch: repo?.currentBranch ?? null, head: repo?.headOid ?? null, dirtyFiles, problems },
    stack,
    config: { present: configText !== null, values: configResult.values, error: configResult.error },
    sandbox,
    settings,
    baseline: context.store.getLastBaseline(project.id),
  };
}

/** nightshift.json's own fields and, when it is refused, why; a missing file is all defaults. */
function readConfig(options: { text: string | null; file: string }): {
  config: ProjectConfig | null;
  values: Record<string, unknown>;
  error: ProjectDetails['config']['error'];
} {
  if (options.text === null) return { config: null, values: {}, error: null };
  let values: Record<string, unknown> = {};
  try {
    const json: unknown = JSON.parse(options.text);
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) values = json as Record<string, unknown>;
  } catch {
    // Unparseable JSON is reported by the validation below; there are no fields to show.
  }
  try {
    return { config: parseProjectConfig({ text: options.text, file: options.file }), values, error: null };
  } catch (error) {
    if (!(error instanceof NightshiftError)) throw error;
    return { config: null, values, error: error.toJSON() };
  }
}
