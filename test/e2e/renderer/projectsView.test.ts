import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NightshiftError } from '../../../src/shared/NightshiftError.js';
import type { ProjectDetails, ProjectSummary } from '../../../src/shared/protocol.js';
import type { SessionControlState } from '../../../src/shared/sessionControlStateSchema.js';
import { createFakeHost, type FakeHost } from '../../utils/createFakeHost.js';
import { createProtocolHandler, type ProtocolHandler } from '../../utils/createProtocolHandler.js';
import { sampleBaseline } from '../../utils/sampleBaseline.js';
import { sampleControlState } from '../../utils/sampleControlState.js';
import { sampleProjectDetails } from '../../utils/sampleProjectDetails.js';
import type { BrowserApiServer } from '../../utils/startBrowserApiServer.js';
import { startRendererBrowser, type RendererBrowser, type RendererPage } from '../../utils/startRendererBrowser.js';

// The Projects view and the session controls as a person uses them: the built renderer in real Chromium,
// over the browser API. The project and session messages are answered by a small in-test host (their real
// handlers are tested against real repositories and the real supervisor); the rest by the fake host.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const CALCULATOR = '/home/dev/calculator';
const WEBSHOP = '/home/dev/webshop';

let renderer: RendererBrowser;
let fake: FakeHost;
let host: ProtocolHandler;
let opened: RendererPage;
let server: BrowserApiServer;
let page: Page;
/** Lets a test hold the baseline answer to see the view while the suite runs. */
let releaseBaseline: () => void;

function createHost(): ProtocolHandler {
  const details = new Map<string, ProjectDetails>([
    [CALCULATOR, sampleProjectDetails({ path: CALCULATOR })],
    [WEBSHOP, sampleProjectDetails({ path: WEBSHOP, overrides: { git: { branch: 'main', head: null, dirtyFiles: 0, problems: ['The repository has no commit yet: commit once, then start a session.'] } } })],
  ]);
  let recent: ProjectSummary[] = [];
  const states = new Map<string, SessionControlState>();
  const move = (projectPath: string, overrides: Partial<SessionControlState>): SessionControlState => {
    const state = sampleControlState({ projectPath, overrides: { ...states.get(projectPath), ...overrides, updatedAt: Date.now() } });
    states.set(projectPath, state);
    return state;
  };
  const known = (path: string): ProjectDetails => {
    const found = details.get(path);
    if (!found) throw new NightshiftError({ code: 'PROJECT_NOT_OPEN', message: `${path} is not an opened project`, hint: 'Open it first.' });
    return found;
  };
  return createProtocolHandler({
    handlers: {
      'project/open': async ({ path }) => {
        const opened = await fake.handle('project/open', { path });
        if (!opened.ok) throw NightshiftError.fromJSON({ data: opened.error });
        const { project } = known(path);
        recent = [project, ...recent.filter((each) => each.path !== path)];
        return opened.value as ProjectSummary;
      },
      'project/list': () => recent,
      'project/inspect': ({ projectPath }) => known(projectPath),
      'project/baseline': async ({ projectPath }) => {
        known(projectPath);
        await new Promise<void>((resolve) => (releaseBaseline = resolve));
        details.set(projectPath, { ...known(projectPath), baseline: sampleBaseline });
        return sampleBaseline;
      },
      'project/settings': ({ projectPath, settings }) => {
        if (settings.mode === 'direct' && settings.targetBranch === 'main') {
          throw new NightshiftError({
            code: 'PROJECT_SETTINGS_INVALID',
            message: 'The settings are refused.',
            hint: 'Pick a branch that is not checked out, or deliver to a new branch.',
            context: { field: 'targetBranch', reason: 'main is checked out in your working tree.' },
          });
        }
        const next = { ...known(projectPath), settings };
        details.set(projectPath, next);
        return next;
      },
      'project/forget': ({ projectPath }) => (recent = recent.filter((each) => each.path !== projectPath)),
      'session/control': ({ projectPath }) => [...states.values()].filter((state) => projectPath === undefined || state.projectPath === projectPath),
      'session/start': ({ projectPath, startAt }) =>
        startAt ? move(projectPath, { state: 'scheduled', startsAt: Date.now() + 3_600_000 }) : move(projectPath, { state: 'starting', sessionId: 'k3v9qa' }),
      'session/pause': ({ projectPath }) => move(projectPath, { state: 'pausing' }),
      'session/resume': ({ projectPath }) => move(projectPath, { state: 'running' }),
      'session/stop': ({ projectPath }) => move(projectPath, { state: 'stopping' }),
    },
    otherwise: (name, request) => fake.handle(name, request),
  });
}

beforeAll(async () => {
  renderer = await startRendererBrowser();
});

afterAll(async () => {
  await renderer?.close();
});

beforeEach(async () => {
  fake = createFakeHost();
  host = createHost();
  opened = await renderer.openPage({ handle: (name, request) => host.handle(name, request) });
  ({ page, server } = opened);
  await page.goto(server.url);
});

afterEach(async () => {
  releaseBaseline?.();
  await opened.close();
  expect(opened.pageErrors, 'errors in the page').toEqual([]);
  expect(host.rejected, 'requests the host rejected').toEqual([]);
  expect(fake.rejected, 'requests the fake host rejected').toEqual([]);
});

async function openProject(path: string): Promise<void> {
  await page.getByLabel('Project', { exact: true }).fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect.poll(() => page.locator('.open-project').textContent()).toBe(path.split('/').at(-1));
}

function lastRequest(name: string): unknown {
  return host.requests.filter((each) => each.name === name).at(-1)?.request;
}

describe('projects view in Chromium', () => {
  it('tells a new user to open a project folder, and that nothing runs yet', async () => {
    const main = page.getByRole('main', { name: 'Projects' });
    await expect.poll(() => main.textContent()).toContain('No projects yet. Open a project folder');
    expect(await main.textContent()).toContain('Open a project to start a session');
    expect(await page.getByRole('status', { name: 'Supervisor' }).textContent()).toBe('idle');
    expect(await page.getByRole('button', { name: 'Choose folder…' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Backlog' }).click();
    expect(await page.getByRole('main', { name: 'Backlog' }).textContent()).toContain('Open a project');
  });

  it('shows a path that is not a repository refused next to the field, with the hint', async () => {
    await page.getByLabel('Project', { exact: true }).fill('/home/dev/notes');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const alert = page.locator('#project-open-error');
    await expect.poll(() => alert.textContent()).toContain('/home/dev/notes is not a git repository');
    expect(await alert.textContent()).toContain('PROJECT_PATH_INVALID');
    expect(await page.getByLabel('Project', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  });

  it('opens a project, shows its details, runs the baseline, saves settings and starts a session', async () => {
    await openProject(CALCULATOR);
    const main = page.getByRole('main', { name: 'Projects' });
    await expect.poll(() => main.locator('[data-detail="test-command"]').textContent()).toBe('python -m pytest -q');
    expect(await main.locator('[data-detail="language"]').textContent()).toBe('python');
    expect(await main.locator('[data-detail="head"]').textContent()).toBe('3f1c2a9d8e7b');
    expect(await main.getByLabel('nightshift.json as read').textContent()).toContain('"lint": "ruff check ."');
    expect(await main.locator('[data-detail="sandbox"]').textContent()).toContain('isolated');
    await expect.poll(() => page.locator(`li[data-project-path="${CALCULATOR}"]`).count()).toBe(1);
    expect(host.requests).toContainEqual({ name: 'project/inspect', request: { projectPath: CALCULATOR } });
    expect(fake.requests).toContainEqual({ name: 'backlog/list', request: { projectPath: CALCULATOR } });

    await main.getByRole('button', { name: 'Run baseline check' }).click();
    const running = main.getByRole('button', { name: 'Running the suite…' });
    await running.waitFor();
    expect(await running.isDisabled()).toBe(true);
    releaseBaseline();
    const output = main.getByLabel('Baseline output');
    await expect.poll(() => output.textContent()).toContain('12 passed, 1 skipped');
    expect(await output.textContent()).toContain('$ python -m pytest -q');
    expect(await main.locator('[data-baseline]').getAttribute('data-baseline')).toBe('passing');

    const saved = main.getByRole('form', { name: 'Saved settings' });
    await saved.getByLabel('Deliver to').selectOption('direct');
    await saved.getByLabel('Target branch').fill('main');
    await saved.getByLabel('Max tasks').fill('3');
    await saved.getByRole('button', { name: 'Save settings' }).click();
    const branchError = page.locator('#saved-targetBranch-error');
    await expect.poll(() => branchError.textContent()).toBe('main is checked out in your working tree. Pick a branch that is not checked out, or deliver to a new branch.');
    expect(await saved.getByLabel('Target branch').getAttribute('aria-invalid')).toBe('true');
    expect(await saved.getByLabel('Target branch').getAttribute('aria-describedby')).toBe('saved-targetBranch-error');
    await saved.getByLabel('Target branch').fill('nightly');
    await saved.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => saved.getByRole('status').textContent()).toBe('Saved.');
    expect(await branchError.count()).toBe(0);
    expect(lastRequest('project/settings')).toMatchObject({ projectPath: CALCULATOR, settings: { mode: 'direct', targetBranch: 'nightly', maxTasks: 3 } });

    const start = page.getByRole('form', { name: 'Start a session' });
    await expect.poll(() => start.locator('[data-settings-line]').textContent()).toContain('at most 3 tasks');
    expect(await start.locator('[data-settings-line]').textContent()).toContain('onto nightly');
    await start.getByText('Settings for this session').click();
    expect(await start.getByLabel('Target branch').inputValue()).toBe('nightly');
    expect(await start.getByLabel('Max tasks').inputValue()).toBe('3');
    await start.getByLabel('Start at a time').check();
    await start.getByLabel('Start at', { exact: true }).fill('late');
    await start.getByRole('button', { name: 'Schedule session' }).click();
    await expect.poll(() => page.locator('#session-startAt-error').textContent()).toContain('HH:MM');
    expect(host.requests.map((each) => each.name)).not.toContain('session/start');

    await start.getByLabel('Start now').check();
    await start.getByLabel('Stop at').fill('07:00');
    await start.getByLabel('Scripted answers (demos)').check();
    await start.getByLabel('Script file').fill('/home/dev/demo-script.json');
    await start.getByLabel('Attempts per task').fill('2');
    await server.waitForEventClients();
    await start.getByRole('button', { name: 'Start session' }).click();
    const chip = page.getByRole('status', { name: 'Supervisor' });
    await expect.poll(() => chip.textContent()).toBe('starting…');
    expect(lastRequest('session/start')).toEqual({
      projectPath: CALCULATOR,
      until: '07:00',
      settings: {
        models: 'scripted:/home/dev/demo-script.json',
        profile: null,
        sandbox: null,
        allowUnsandboxed: false,
        maxTasks: 3,
        maxAttempts: 2,
        mode: 'direct',
        targetBranch: 'nightly',
        allowFailingBaseline: false,
      },
      resume: true,
      again: false,
    });

    const task = { index: 1, total: 3, taskRunId: 11, taskId: 'T1', title: 'Add a divide function' };
    server.push({ type: 'control/state', at: Date.now(), state: sampleControlState({ projectPath: CALCULATOR, overrides: { state: 'running', sessionId: 'k3v9qa', task, until: Date.now() + 8 * 3_600_000, engineRestarts: 1 } }) });
    await expect.poll(() => chip.textContent()).toBe('running task 1 of 3');
    const banner = page.getByRole('status', { name: 'Session state' });
    expect(await banner.textContent()).toContain('T1: Add a divide function');
    expect(await banner.textContent()).toContain('engine restarted 1 time');
    expect(await start.getByRole('button', { name: 'Start session' }).isDisabled()).toBe(true);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await start.getByText('Settings for this session').click();
    await page.locator('.scroll').evaluateAll((nodes) => nodes.forEach((node) => node.scrollTo(0, 0)));
    await page.screenshot({ path: join(SCREENSHOTS, 'projects-view.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SCREENSHOTS, 'projects-view-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    await main.getByRole('button', { name: 'Pause after this step' }).click();
    await expect.poll(() => chip.textContent()).toBe('pausing after this step…');
    expect(lastRequest('session/pause')).toEqual({ projectPath: CALCULATOR });
    server.push({ type: 'control/state', at: Date.now(), state: sampleControlState({ projectPath: CALCULATOR, overrides: { state: 'paused', sessionId: 'k3v9qa', updatedAt: Date.now() + 1000 } }) });
    await expect.poll(() => chip.textContent()).toBe('paused');
    await main.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => lastRequest('session/resume')).toEqual({ projectPath: CALCULATOR });
  });

  it('reopens the last project when the page is loaded again', async () => {
    await openProject(CALCULATOR);
    await page.reload();
    await expect.poll(() => page.locator('.open-project').textContent()).toBe('calculator');
    await expect.poll(() => page.locator('[data-view="projects"] [data-detail="language"]').textContent()).toBe('python');
    expect(await page.locator('[data-view="projects"] [data-ready]').count()).toBe(1);
  });

  it('switches views with Ctrl+number and arrow keys, and moves through recent projects with arrows', async () => {
    await openProject(WEBSHOP);
    await openProject(CALCULATOR);
    await expect.poll(() => page.getByRole('list', { name: 'Recently opened' }).locator('li').count()).toBe(2);
    const problems = page.getByRole('list', { name: 'Repository problems' });

    const recent = page.getByRole('list', { name: 'Recently opened' }).locator('button.open-recent');
    await recent.first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await recent.nth(1).evaluate((node) => node === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.open-project').textContent()).toBe('webshop');
    await expect.poll(() => problems.textContent()).toContain('no commit yet');

    await page.keyboard.press('Control+2');
    const selected = (): Promise<string | null> => page.getByRole('tab', { selected: true }).textContent();
    await expect.poll(selected).toBe('Backlog');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-backlog');
    await page.keyboard.press('ArrowRight');
    await expect.poll(selected).toBe('Live run');
    await page.keyboard.press('ArrowRight');
    await expect.poll(selected).toBe('Review');
    await page.keyboard.press('ArrowRight');
    await expect.poll(selected).toBe('Models');
    await page.keyboard.press('End');
    await expect.poll(selected).toBe('History');
    await page.keyboard.press('ArrowRight');
    await expect.poll(selected).toBe('Projects');
    await page.keyboard.press('Control+4');
    await expect.poll(selected).toBe('Review');
    expect(await page.getByRole('list', { name: 'Sessions' }).getByRole('button').count()).toBe(1);
    await page.keyboard.press('Control+1');
    await expect.poll(selected).toBe('Projects');

    await page.getByRole('button', { name: 'Forget webshop' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Recently opened' }).locator('li').count()).toBe(1);
    expect(await page.getByRole('main', { name: 'Projects' }).textContent()).toContain('Open a project folder to see its detected stack');
  });
});
