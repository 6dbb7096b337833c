import { describe, expect, it } from 'vitest';
import { ProjectsState } from '../../../src/renderer/state/ProjectsState.svelte.js';
import { NightshiftError } from '../../../src/shared/NightshiftError.js';
import type { ProjectSettings } from '../../../src/shared/projectSettingsSchema.js';
import type { ProjectDetails, ProjectSummary } from '../../../src/shared/protocol.js';
import { apiOverHost } from '../../utils/apiOverHost.js';
import { createProtocolHandler, type ProtocolHandler } from '../../utils/createProtocolHandler.js';
import { sampleBaseline } from '../../utils/sampleBaseline.js';
import { sampleProjectDetails } from '../../utils/sampleProjectDetails.js';

const CALCULATOR = '/home/dev/calculator';
const WEBSHOP = '/home/dev/webshop';

/** A host that knows two repositories, keeps their settings and a recent list, and refuses like the real one. */
function createProjectsHost(): ProtocolHandler {
  const details = new Map<string, ProjectDetails>([
    [CALCULATOR, sampleProjectDetails({ path: CALCULATOR })],
    [WEBSHOP, sampleProjectDetails({ path: WEBSHOP, overrides: { git: { branch: null, head: null, dirtyFiles: 0, problems: ['The repository has no commit yet: commit once, then start a session.'] } } })],
  ]);
  let recent: ProjectSummary[] = [];
  const known = (path: string): ProjectDetails => {
    const found = details.get(path);
    if (!found) throw new NightshiftError({ code: 'PROJECT_PATH_INVALID', message: `${path} is not a git repository`, hint: 'Open the root folder of a git repository.' });
    return found;
  };
  return createProtocolHandler({
    handlers: {
      'project/open': ({ path }) => {
        const { project } = known(path);
        recent = [project, ...recent.filter((each) => each.path !== path)];
        return { id: project.id, path: project.path, name: project.name };
      },
      'project/list': () => recent,
      'project/inspect': ({ projectPath }) => known(projectPath),
      'project/baseline': ({ projectPath }) => {
        if (known(projectPath).git.head === null) {
          throw new NightshiftError({ code: 'BASELINE_NO_COMMIT', message: 'There is no commit to run the suite at.', hint: 'Commit once, then check again.' });
        }
        return sampleBaseline;
      },
      'project/settings': ({ projectPath, settings }) => {
        if (settings.mode === 'direct' && settings.targetBranch === 'main') {
          throw new NightshiftError({
            code: 'PROJECT_SETTINGS_INVALID',
            message: 'The settings are refused.',
            hint: 'Pick a branch that is not checked out.',
            context: { field: 'targetBranch', reason: 'main is checked out in your working tree.' },
          });
        }
        const next = { ...known(projectPath), settings };
        details.set(projectPath, next);
        return next;
      },
      'project/forget': ({ projectPath }) => (recent = recent.filter((each) => each.path !== projectPath)),
    },
  });
}

describe('ProjectsState', () => {
  it('opens a project by path, inspects it and lists it among the recent ones', async () => {
    const host = createProjectsHost();
    const projects = new ProjectsState({ api: apiOverHost({ host }) });
    expect(projects.canPick).toBe(false);
    expect(await projects.open(`  ${CALCULATOR} `)).toBe(true);
    expect(projects.current).toEqual({ id: 1, path: CALCULATOR, name: 'calculator' });
    expect(projects.details?.stack).toEqual({ language: 'python', testCommand: 'python -m pytest -q', source: 'pyproject.toml' });
    expect(projects.recent.map((each) => each.path)).toEqual([CALCULATOR]);
    expect(projects.settings.draft).toMatchObject({ modelKind: 'local', mode: 'branch', maxTasks: '' });
    expect(projects.inspecting).toBe(false);
    expect(host.rejected).toEqual([]);
  });

  it('reopens the most recent project that still exists, and nothing for a new user', async () => {
    const host = createProjectsHost();
    const fresh = new ProjectsState({ api: apiOverHost({ host: createProjectsHost() }) });
    await fresh.restore();
    expect(fresh.current).toBeNull();
    expect(fresh.recent).toEqual([]);

    await host.handle('project/open', { path: WEBSHOP });
    await host.handle('project/open', { path: CALCULATOR });
    const returning = new ProjectsState({ api: apiOverHost({ host }) });
    await returning.restore();
    expect(returning.current?.path).toBe(CALCULATOR);
    expect(returning.details?.project.path).toBe(CALCULATOR);
  });

  it('keeps the current project when another path is refused, with the reason and hint', async () => {
    const projects = new ProjectsState({ api: apiOverHost({ host: createProjectsHost() }) });
    await projects.open(CALCULATOR);
    expect(await projects.open('/home/dev/notes')).toBe(false);
    expect(projects.openError).toMatchObject({ code: 'PROJECT_PATH_INVALID', hint: 'Open the root folder of a git repository.' });
    expect(projects.current?.path).toBe(CALCULATOR);
    expect(await projects.open(WEBSHOP)).toBe(true);
    expect(projects.openError).toBeNull();
    expect(projects.details?.git.problems[0]).toMatch(/no commit/);
  });

  it('opens the folder the system picker returns, and nothing when it is cancelled', async () => {
    const answers: Array<string | null> = [null, WEBSHOP];
    const projects = new ProjectsState({ api: apiOverHost({ host: createProjectsHost(), pickFolder: async () => answers.shift() ?? null }) });
    expect(projects.canPick).toBe(true);
    expect(await projects.pick()).toBe(false);
    expect(projects.current).toBeNull();
    expect(await projects.pick()).toBe(true);
    expect(projects.current?.path).toBe(WEBSHOP);
  });

  it('runs the baseline, busy meanwhile, and shows its result with the details', async () => {
    const projects = new ProjectsState({ api: apiOverHost({ host: createProjectsHost() }) });
    await projects.open(CALCULATOR);
    expect(projects.baseline).toBeNull();
    const running = projects.runBaseline();
    expect(projects.baselineRunning).toBe(true);
    expect(await projects.runBaseline()).toBeNull();
    expect(await running).toEqual(sampleBaseline);
    expect(projects.baselineRunning).toBe(false);
    expect(projects.baseline?.output).toContain('12 passed');
  });

  it('shows why the baseline could not run', async () => {
    const projects = new ProjectsState({ api: apiOverHost({ host: createProjectsHost() }) });
    await projects.open(WEBSHOP);
    expect(await projects.runBaseline()).toBeNull();
    expect(projects.baselineError).toMatchObject({ code: 'BASELINE_NO_COMMIT', hint: 'Commit once, then check again.' });
  });

  it('saves settings, and puts a refused one next to its field with the host’s reason and hint', async () => {
    const host = createProjectsHost();
    const projects = new ProjectsState({ api: apiOverHost({ host }) });
    await projects.open(CALCULATOR);
    Object.assign(projects.settings.draft, { mode: 'direct', targetBranch: 'main', maxTasks: '5' });
    expect(await projects.saveSettings()).toBe(false);
    expect(projects.settings.fieldErrors.targetBranch).toBe('main is checked out in your working tree. Pick a branch that is not checked out.');
    expect(projects.settingsError).toBeNull();

    Object.assign(projects.settings.draft, { targetBranch: 'nightly', modelKind: 'openai', openaiUrl: 'http://127.0.0.1:8080/v1', openaiModel: 'qwen2.5-coder' });
    expect(await projects.saveSettings()).toBe(true);
    const saved: ProjectSettings | undefined = projects.details?.settings;
    expect(saved).toMatchObject({ mode: 'direct', targetBranch: 'nightly', maxTasks: 5, models: 'openai:http://127.0.0.1:8080/v1#qwen2.5-coder' });
    expect(projects.settings.fieldErrors).toEqual({});
    expect(projects.settingsSavedAt).not.toBeNull();
    expect(host.rejected).toEqual([]);
  });

  it('refuses settings the shared schema refuses without asking the host', async () => {
    const host = createProjectsHost();
    const projects = new ProjectsState({ api: apiOverHost({ host }) });
    await projects.open(CALCULATOR);
    Object.assign(projects.settings.draft, { mode: 'direct', targetBranch: '', maxAttempts: '30', maxTasks: 'many', modelKind: 'gguf', ggufPath: ' ' });
    const sent = host.requests.length;
    expect(await projects.saveSettings()).toBe(false);
    expect(host.requests).toHaveLength(sent);
    expect(Object.keys(projects.settings.fieldErrors).sort()).toEqual(['ggufPath', 'maxAttempts', 'maxTasks', 'targetBranch']);
    expect(projects.settings.fieldErrors.targetBranch).toMatch(/direct delivery needs/);
  });

  it('forgets a project, closing it when it is the current one', async () => {
    const projects = new ProjectsState({ api: apiOverHost({ host: createProjectsHost() }) });
    await projects.open(WEBSHOP);
    await projects.open(CALCULATOR);
    expect(projects.recent.map((each) => each.path)).toEqual([CALCULATOR, WEBSHOP]);
    expect(await projects.forget(WEBSHOP)).toBe(true);
    expect(projects.current?.path).toBe(CALCULATOR);
    expect(await projects.forget(CALCULATOR)).toBe(true);
    expect(projects.recent).toEqual([]);
    expect(projects.current).toBeNull();
    expect(projects.details).toBeNull();
  });

  it('drops details that arrive after another project was opened', async () => {
    const host = createProjectsHost();
    let release: () => void = () => {};
    let holdInspect = true;
    const api = apiOverHost({ host });
    const projects = new ProjectsState({
      api: {
        ...api,
        invoke: async (name, request) => {
          if (name === 'project/inspect' && holdInspect) {
            holdInspect = false;
            await new Promise<void>((resolve) => (release = resolve));
          }
          return api.invoke(name, request);
        },
      },
    });
    const first = projects.open(CALCULATOR);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await projects.open(WEBSHOP);
    release();
    await first;
    expect(projects.current?.path).toBe(WEBSHOP);
    expect(projects.details?.project.path).toBe(WEBSHOP);
  });
});
