import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';

describe('nightshift sandbox setup', () => {
  it('refuses without --allow-network, before running anything or writing a log', () => {
    const projectDir = makeTempDir('nightshift-setup-project-');
    writeFiles(projectDir, { 'nightshift.json': JSON.stringify({ setupCommand: 'touch ran' }), 'requirements.txt': '' });
    const dataDir = makeTempDir('nightshift-setup-data-');
    const result = runCli({ args: ['sandbox', 'setup', '--project', projectDir, '--data-dir', dataDir] });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs network access');
    expect(result.stderr).toContain('--allow-network');
    expect(result.stdout).toBe('');
    expect(existsSync(join(projectDir, 'ran'))).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
