import { describe, expect, it } from 'vitest';
import { chooseSetupCommand } from '../../../../src/sandbox/docker/chooseSetupCommand.js';
import { dependencyCacheVolume } from '../../../../src/sandbox/docker/dependencyCacheVolume.js';
import { projectConfigSchema } from '../../../../src/shared/projectConfigSchema.js';
import { writeFiles } from '../../../utils/createGitRepo.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

function project(files: Record<string, string>): string {
  const dir = makeTempDir('nightshift-setup-');
  writeFiles(dir, files);
  return dir;
}

describe('chooseSetupCommand', () => {
  it('installs requirements.txt into .nightshift-deps with pip in the python image', () => {
    expect(chooseSetupCommand({ projectDir: project({ 'requirements.txt': 'requests\n', 'calc.py': '' }) })).toEqual({
      command: 'python3 -m pip install --upgrade --target .nightshift-deps -r requirements.txt',
      stack: 'python',
      source: 'requirements.txt',
    });
  });

  it('runs npm ci in the node image when package-lock.json exists', () => {
    expect(chooseSetupCommand({ projectDir: project({ 'package.json': '{}', 'package-lock.json': '{}' }) })).toEqual({
      command: 'npm ci',
      stack: 'node',
      source: 'package-lock.json',
    });
  });

  it('prefers the configured setupCommand, in the image of the project\'s stack', () => {
    const node = project({ 'package.json': '{}', 'package-lock.json': '{}' });
    expect(chooseSetupCommand({ projectDir: node, setupCommand: 'npm install --ignore-scripts' })).toEqual({
      command: 'npm install --ignore-scripts',
      stack: 'node',
      source: 'nightshift.json',
    });
    const python = project({ 'requirements.txt': 'requests\n', 'package-lock.json': '{}' });
    expect(chooseSetupCommand({ projectDir: python, setupCommand: 'pip install .' }).stack).toBe('python');
  });

  it('refuses to guess with both lock files, or with neither', () => {
    expect(() => chooseSetupCommand({ projectDir: project({ 'requirements.txt': '', 'package-lock.json': '{}' }) })).toThrow(
      expect.objectContaining({ code: 'SETUP_COMMAND_UNKNOWN', message: expect.stringContaining('ambiguous') }),
    );
    expect(() => chooseSetupCommand({ projectDir: project({ 'package.json': '{}', 'pyproject.toml': '' }) })).toThrow(
      expect.objectContaining({ code: 'SETUP_COMMAND_UNKNOWN', hint: expect.stringContaining('setupCommand') }),
    );
  });

  it('reads setupCommand from nightshift.json and rejects an empty one', () => {
    expect(projectConfigSchema.parse({ setupCommand: 'pip install .' }).setupCommand).toBe('pip install .');
    expect(projectConfigSchema.parse({}).setupCommand).toBeUndefined();
    expect(projectConfigSchema.safeParse({ setupCommand: '' }).success).toBe(false);
  });
});

describe('dependencyCacheVolume', () => {
  it('names one volume per project path', () => {
    const a = dependencyCacheVolume({ projectDir: '/home/user/calc' });
    expect(a).toMatch(/^nightshift-deps-[0-9a-f]{12}$/);
    expect(dependencyCacheVolume({ projectDir: '/home/user/calc/' })).toBe(a);
    expect(dependencyCacheVolume({ projectDir: '/home/user/other' })).not.toBe(a);
  });
});
