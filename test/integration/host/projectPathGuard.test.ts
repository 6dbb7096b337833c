import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SessionSupervisor } from '../../../src/host/SessionSupervisor.js';
import { createMainHost } from '../../../src/host/createMainHost.js';
import { defaultProjectSettings } from '../../../src/shared/projectSettingsSchema.js';
import { protocolNames, protocolRequestSchemas, type ProtocolName, type ProtocolResult } from '../../../src/shared/protocol.js';
import { createGitRepo } from '../../utils/createGitRepo.js';
import { pythonProjectFiles } from '../../utils/createPythonProject.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

/** A field that names a folder on the host's machine: `path`, `projectPath`, and any later `...Path`. */
const isPathField = (field: string): boolean => /(^p|P)ath$/.test(field);

/** Values for the other required fields, so that only the path can be what a message is refused for. */
const SAMPLES: Record<string, unknown> = {
  task: { id: 'T1', title: 'Divide', description: 'Add divide.', dependsOn: [], targetFiles: [] },
  taskId: 'T1',
  taskIds: ['T1'],
  format: 'tasks-md',
  text: '## T1: Divide\n',
  settings: defaultProjectSettings,
  tryId: 'try-1',
  prompt: 'Say hi.',
  scope: 'project',
  profile: {
    id: 'mac-24gb',
    roles: Object.fromEntries(['brain', 'coder', 'qa'].map((role) => [role, { model: 'qwen2.5-coder-14b-q4km', contextSize: 16384, gpuLayers: 'max', pinned: false }])),
  },
};

/** Every message whose request takes a path, with the names of its path fields, read from the schemas. */
function messagesTakingPaths(): Array<{ name: ProtocolName; pathFields: string[]; shape: Record<string, z.ZodType> }> {
  return protocolNames.flatMap((name) => {
    const shape = (protocolRequestSchemas[name] as unknown as z.ZodObject<Record<string, z.ZodType>>).shape;
    const pathFields = Object.keys(shape).filter(isPathField);
    return pathFields.length > 0 ? [{ name, pathFields, shape }] : [];
  });
}

/** A request of `name` that names `path` in `field`, with samples for the other required fields. */
function requestWith(shape: Record<string, z.ZodType>, field: string, path: string): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    if (key === field) request[key] = path;
    else if (schema.safeParse(undefined).success) continue;
    else if (key in SAMPLES) request[key] = SAMPLES[key];
    else throw new Error(`No sample for the required field "${key}": add one to SAMPLES so the guard test covers this message.`);
  }
  return request;
}

/** Every entry under `dir`, .git included, with each file's bytes and each link's target. */
function digestTree(dir: string): Record<string, string> {
  const digest: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      const stat = lstatSync(path);
      const key = relative(dir, path);
      if (stat.isSymbolicLink()) digest[key] = `link:${readlinkSync(path)}`;
      else if (stat.isDirectory()) walk(path);
      else digest[key] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return digest;
}

/** A supervisor that only records whether anything reached it: the guard must stop a request before. */
function recordingSupervisor(calls: string[]): SessionSupervisor {
  const record = (method: string) => () => {
    calls.push(method);
    return Promise.reject(new Error(`the supervisor's ${method} was reached`));
  };
  return {
    start: record('start'),
    pause: record('pause'),
    resume: record('resume'),
    stop: record('stop'),
    states: () => {
      calls.push('states');
      return [];
    },
    busy: () => false,
    dispose: () => Promise.resolve(),
  };
}

function setUp() {
  const root = realpathSync(makeTempDir());
  const opened = createGitRepo({ dir: join(root, 'opened'), commits: [{ files: pythonProjectFiles }] });
  const stranger = createGitRepo({ dir: join(root, 'stranger'), commits: [{ files: pythonProjectFiles }] });
  mkdirSync(join(opened, 'sub'));
  symlinkSync(stranger, join(root, 'link-to-stranger'));
  // A link inside the opened project that leads out of it.
  symlinkSync(stranger, join(opened, 'escape'));
  const calls: string[] = [];
  const unexpected: string[] = [];
  const dataDir = join(root, 'data');
  const host = createMainHost({
    dataDir,
    clock: { now: () => 1_763_676_000_000 },
    createSupervisor: () => recordingSupervisor(calls),
    onUnexpectedError: (error, name) => unexpected.push(`${name}: ${String(error)}`),
  });
  onTestFinished(() => host.dispose());
  return { root, opened, stranger, dataDir, host, calls, unexpected };
}

function realPathOf(path: string): string | null {
  try {
    return realpathSync(resolve(path));
  } catch {
    return null;
  }
}

function refusal(result: ProtocolResult<unknown>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value).slice(0, 200)}`);
  return result.error.code;
}

describe('project path guard', () => {
  it('finds the path-taking messages in the protocol itself', () => {
    const names = messagesTakingPaths().map((message) => message.name);
    expect(names).toEqual(expect.arrayContaining(['project/open', 'project/inspect', 'project/baseline', 'backlog/save', 'session/start', 'session/list']));
    expect(names).not.toContain('project/list');
  });

  it('refuses every message that names a folder outside the opened projects, and writes nothing there', async () => {
    const { root, opened, stranger, dataDir, host, calls, unexpected } = setUp();
    expect((await host.handle('project/open', { path: opened })).ok).toBe(true);
    const strangerBefore = digestTree(stranger);
    const openedBefore = digestTree(opened);
    const outside = [
      stranger,
      '/',
      '..',
      join(opened, '..', 'stranger'),
      join(opened, '..', '..', '..', '..', '..', '..', '..'),
      join(root, 'link-to-stranger'),
      join(opened, 'escape'),
      join(opened, 'sub'),
      join(opened, 'sub', '..', '..'),
      join(root, 'missing'),
    ];

    const checked: string[] = [];
    for (const { name, pathFields, shape } of messagesTakingPaths()) {
      for (const field of pathFields) {
        for (const path of outside) {
          // Opening a folder is how a project becomes opened: project/open takes any repository root the user
          // chose, and refuses everything else.
          const opensByDesign = name === 'project/open' && realPathOf(path) === stranger;
          if (opensByDesign) continue;
          const code = refusal(await host.handle(name, requestWith(shape, field, path)));
          expect.soft(code, `${name} ${field}=${path}`).toBe(name === 'project/open' ? 'PROJECT_PATH_INVALID' : 'PROJECT_NOT_OPEN');
          checked.push(name);
        }
      }
    }
    expect(new Set(checked).size).toBe(messagesTakingPaths().length);
    expect(calls).toEqual([]);
    expect(unexpected).toEqual([]);

    const listed = await host.handle('project/list', {});
    expect(listed.ok && listed.value.map((project) => project.path)).toEqual([opened]);
    expect(digestTree(stranger)).toEqual(strangerBefore);
    expect(digestTree(opened)).toEqual(openedBefore);
    expect(readdirSync(join(dataDir, 'workspaces'))).toEqual([]);
  });

  it('lets the opened project through to the supervisor, so the refusals above are the guard’s', async () => {
    const { opened, host, calls, unexpected } = setUp();
    expect((await host.handle('project/open', { path: opened })).ok).toBe(true);
    expect(refusal(await host.handle('session/pause', { projectPath: join(opened, 'sub', '..') }))).toBe('INTERNAL');
    expect(calls).toEqual(['pause']);
    expect(unexpected).toEqual([expect.stringMatching(/the supervisor's pause was reached/)]);
  });

  it('refuses session control in a host without a supervisor as well', async () => {
    const { root, stranger } = setUp();
    const host = createMainHost({ dataDir: join(root, 'viewer'), clock: { now: () => 1 } });
    onTestFinished(() => host.dispose());
    for (const name of ['session/start', 'session/pause', 'session/resume', 'session/stop'] as const) {
      expect(refusal(await host.handle(name, { projectPath: stranger }))).toBe('PROJECT_NOT_OPEN');
    }
    expect(refusal(await host.handle('session/control', { projectPath: stranger }))).toBe('PROJECT_NOT_OPEN');
  });
});
