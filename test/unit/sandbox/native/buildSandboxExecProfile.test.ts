import { describe, expect, it } from 'vitest';
import { buildSandboxExecProfile } from '../../../../src/sandbox/native/buildSandboxExecProfile.js';

const profile = buildSandboxExecProfile({
  workspaceDir: '/Users/ada/.nightshift/workspaces/s1',
  tempDir: '/private/var/folders/xy/T/nightshift-sbx-1',
  readOnlyPaths: ['/Users/ada/.nvm/versions/node/v22.1.0', '/opt/homebrew/Cellar/python@3.12/3.12.4'],
  home: '/Users/ada',
});
const lines = profile.split('\n');
const index = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));

describe('buildSandboxExecProfile', () => {
  it('denies by default and denies every network operation last', () => {
    expect(lines[0]).toBe('(version 1)');
    expect(lines[1]).toBe('(deny default)');
    expect(lines.filter(Boolean).at(-1)).toBe('(deny network*)');
    expect(profile).not.toMatch(/\(allow network/);
  });

  it('allows writing only under the workspace and the private temp dir', () => {
    const writes = lines.filter((line) => line.startsWith('(allow file-write'));
    expect(writes).toEqual([
      '(allow file-write* (subpath "/Users/ada/.nightshift/workspaces/s1") (subpath "/private/var/folders/xy/T/nightshift-sbx-1"))',
      '(allow file-write-data (literal "/dev/null") (literal "/dev/zero") (literal "/dev/dtracehelper") (literal "/dev/tty") (regex #"^/dev/fd/[0-9]+$"))',
    ]);
  });

  it('reads system paths, hides the home directories, then re-allows the workspace, temp dir and tools (last match wins)', () => {
    const readAll = index('(allow file-read*)');
    const denyHome = index('(deny file-read*');
    const allowBack = index('(allow file-read* (subpath');
    expect(readAll).toBeGreaterThan(1);
    expect(denyHome).toBeGreaterThan(readAll);
    expect(allowBack).toBeGreaterThan(denyHome);
    expect(lines[denyHome]).toBe('(deny file-read* (subpath "/Users") (subpath "/Volumes") (subpath "/Users/ada"))');
    expect(lines[allowBack]).toBe(
      '(allow file-read* (subpath "/Users/ada/.nightshift/workspaces/s1") (subpath "/private/var/folders/xy/T/nightshift-sbx-1") ' +
        '(subpath "/Users/ada/.nvm/versions/node/v22.1.0") (subpath "/opt/homebrew/Cellar/python@3.12/3.12.4"))',
    );
  });

  it('lets the directories above the allowed paths be looked up but not listed', () => {
    const metadata = lines[index('(allow file-read-metadata')] ?? '';
    for (const dir of ['/', '/Users', '/Users/ada', '/Users/ada/.nightshift', '/Users/ada/.nvm/versions/node', '/private/var/folders/xy/T']) {
      expect(metadata).toContain(`(literal "${dir}")`);
    }
    expect(metadata).not.toContain('subpath');
  });

  it('keeps mach services to a short list (no keychain or pasteboard)', () => {
    const mach = lines[index('(allow mach-lookup')] ?? '';
    expect(mach).toContain('(global-name "com.apple.system.opendirectoryd.libinfo")');
    expect(mach).not.toMatch(/SecurityServer|pasteboard|securityd/);
  });

  it('escapes quotes and backslashes in paths', () => {
    const tricky = buildSandboxExecProfile({ workspaceDir: '/tmp/a"b\\c', tempDir: '/tmp/t', readOnlyPaths: [], home: '/Users/x' });
    expect(tricky).toContain('(subpath "/tmp/a\\"b\\\\c")');
    expect(tricky).not.toContain('"/tmp/a"b');
  });
});
