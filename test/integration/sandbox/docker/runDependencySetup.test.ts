import { randomBytes } from 'node:crypto';
import { chownSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runDependencySetup } from '../../../../src/sandbox/docker/runDependencySetup.js';
import { sandboxImageName } from '../../../../src/sandbox/docker/sandboxImageName.js';
import { sandboxLabels } from '../../../../src/sandbox/docker/sandboxLabels.js';
import { dockerSkipNote, findTestDocker } from '../../../utils/findTestDocker.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const found = await findTestDocker();
const docker = found.docker;

describe.skipIf(!docker)(dockerSkipNote(found, 'runDependencySetup'), () => {
  it('runs the command with a network interface, as the project owner, filling the cache volume, and logs every line', async () => {
    const { image } = sandboxImageName({ stack: 'python' });
    const projectDir = makeTempDir('nightshift-setup-');
    chownSync(projectDir, 1000, 1000);
    const cacheVolume = `nightshift-deps-test-${randomBytes(4).toString('hex')}`;
    onTestFinished(() => docker!.getVolume(cacheVolume).remove().catch(() => {}));
    const logPath = join(makeTempDir('nightshift-setup-data-'), 'reports', 'setup.log');
    const lines: string[] = [];
    const result = await runDependencySetup({
      docker: docker!,
      image,
      projectDir,
      cacheVolume,
      logPath,
      command: 'ls /sys/class/net; id -u; mkdir -p .nightshift-deps && touch /cache/filled; echo to-stderr >&2; exit 3',
      onLine: (line) => lines.push(line),
    });
    expect(result.exitCode).toBe(3);
    expect(lines).toEqual(expect.arrayContaining(['eth0', 'lo', '1000', 'to-stderr']));
    expect(lines.at(-1)).toMatch(/^setup: exit code 3 after /);
    expect(readFileSync(logPath, 'utf8')).toBe(`${lines.join('\n')}\n`);

    const leftovers = await docker!.listContainers({ all: true, filters: { label: [`${sandboxLabels.kind}=setup`, `${sandboxLabels.pid}=${process.pid}`] } });
    expect(leftovers).toEqual([]);
    const check = await runDependencySetup({ docker: docker!, image, projectDir, cacheVolume, logPath, command: 'test -f /cache/filled', onLine: () => {} });
    expect(check.exitCode).toBe(0);
  }, 180_000);
});
