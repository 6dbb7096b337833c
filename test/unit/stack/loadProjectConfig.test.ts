import { describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../../../src/engine/stack/loadProjectConfig.js';
import { ProjectConfigError } from '../../../src/engine/stack/ProjectConfigError.js';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

async function configError(content: string): Promise<ProjectConfigError> {
  const root = makeTempDir();
  writeFiles(root, { 'nightshift.json': content });
  const error = await loadProjectConfig({ root }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProjectConfigError);
  return error as ProjectConfigError;
}

describe('loadProjectConfig', () => {
  it('returns the defaults when there is no nightshift.json', async () => {
    const config = await loadProjectConfig({ root: makeTempDir() });
    expect(config).toMatchObject({ maxDiffLines: 400, maxAttempts: 4, protectedPaths: [], tasksFile: 'TASKS.md' });
    expect(config.testCommand).toBeUndefined();
  });

  it('reads and validates the file, filling defaults', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'nightshift.json': JSON.stringify({ testCommand: 'make test', maxDiffLines: 50, protectedPaths: ['migrations/'] }) });
    const config = await loadProjectConfig({ root });
    expect(config).toMatchObject({ testCommand: 'make test', maxDiffLines: 50, protectedPaths: ['migrations/'], maxAttempts: 4 });
  });

  it('names the file when it is not JSON', async () => {
    const error = await configError('{ "testCommand": ');
    expect(error.message).toContain('nightshift.json');
    expect(error.message).toContain('is not valid JSON');
    expect(error.context).toMatchObject({ field: null });
  });

  it('names the offending field', async () => {
    const error = await configError(JSON.stringify({ maxDiffLines: -3 }));
    expect(error.message).toContain('field "maxDiffLines"');
    expect(error.context).toMatchObject({ field: 'maxDiffLines' });
    const nested = await configError(JSON.stringify({ protectedPaths: ['ok', 7] }));
    expect(nested.context).toMatchObject({ field: 'protectedPaths.1' });
  });

  it('names an unknown field', async () => {
    const error = await configError(JSON.stringify({ testComand: 'typo' }));
    expect(error.context).toMatchObject({ field: 'testComand' });
    expect(error.message).toContain('is not a known setting');
  });
});
