import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../node/findPackageRoot.js';
import { CliUsageError } from './CliUsageError.js';

/** The demo's author, so the commit needs no git identity from the user. */
const DEMO_AUTHOR = ['-c', 'user.name=Nightshift demo', '-c', 'user.email=demo@nightshift.invalid', '-c', 'commit.gpgsign=false'];

/**
 * Creates the demo project at `dir`: the files of resources/demo/project plus resources/demo/answers.json
 * (the scripted answers its night replays), committed as the first commit of a new git repository on
 * branch `main`. Refuses a `dir` that exists and is not empty, so nothing of the user's is overwritten.
 */
export function createDemoProject(options: {
  /** Where the project goes; created when missing. */
  dir: string;
}): { projectDir: string; answersPath: string } {
  const projectDir = resolve(options.dir);
  if (existsSync(projectDir) && readdirSync(projectDir).length > 0) {
    throw new CliUsageError({
      message: `${options.dir} already exists and is not empty.`,
      hint: 'The demo creates its project in a new folder: choose another with --dir DIR, or remove that one.',
      context: { dir: projectDir },
    });
  }
  const root = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
  const resources = join(root ?? '.', 'resources', 'demo');
  if (!existsSync(join(resources, 'answers.json'))) {
    throw new CliUsageError({ message: `The demo's files are missing from ${resources}.`, hint: 'Reinstall Nightshift: resources/demo ships with it.' });
  }
  mkdirSync(projectDir, { recursive: true });
  cpSync(join(resources, 'project'), projectDir, { recursive: true });
  const answersPath = join(projectDir, 'answers.json');
  copyFileSync(join(resources, 'answers.json'), answersPath);
  const git = (...args: string[]) => execFileSync('git', [...DEMO_AUTHOR, ...args], { cwd: projectDir, stdio: 'pipe' });
  try {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'Text helpers: the Nightshift demo project');
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new CliUsageError({
      message: `git could not create the demo repository in ${options.dir}: ${stderr || (error as Error).message}`,
      hint: 'Nightshift needs git on the PATH; install it and run the demo again.',
    });
  }
  return { projectDir, answersPath };
}
