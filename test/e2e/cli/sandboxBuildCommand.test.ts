import { describe, expect, it } from 'vitest';
import { sandboxImageName } from '../../../src/sandbox/docker/sandboxImageName.js';
import { dockerSkipNote, findTestDocker } from '../../utils/findTestDocker.js';
import { runCli } from '../../utils/runCli.js';

const found = await findTestDocker();

describe('nightshift sandbox build', () => {
  it('refuses an unknown stack with a usage error', () => {
    const result = runCli({ args: ['sandbox', 'build', '--stack', 'rust'] });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown stack "rust"');
    expect(result.stderr).toContain('python, node, all');
  });

  it.skipIf(!found.docker)(dockerSkipNote(found, 'reports the python image, built or already present'), () => {
    const { image } = sandboxImageName({ stack: 'python' });
    const result = runCli({ args: ['sandbox', 'build', '--stack', 'python'], timeoutMs: 900_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^python: ${image.replace(/[/.]/g, '\\$&')} (already present|built in \\d+ s)$`, 'm'));
    expect(result.stdout).not.toContain('node:');
  }, 900_000);
});
