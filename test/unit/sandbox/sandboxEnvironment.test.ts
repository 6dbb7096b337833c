import { describe, expect, it } from 'vitest';
import { sandboxEnvironment, type SandboxRunner } from '../../../src/sandbox/sandboxEnvironment.js';

const host = {
  PATH: '/usr/bin:/bin',
  LANG: 'C.UTF-8',
  TZ: 'UTC',
  LC_ALL: 'C',
  PYENV_VERSION: '3.11',
  HOME: '/home/dev',
  USER: 'dev',
  LOGNAME: 'dev',
  TMPDIR: '/var/tmp',
  SHELL: '/bin/zsh',
  OPENAI_API_KEY: 'secret',
  AWS_SECRET_ACCESS_KEY: 'secret',
  NODE_OPTIONS: '--inspect',
  VITEST_POOL_ID: '1',
  CI: 'false',
};

describe('sandboxEnvironment', () => {
  it.each<{ runner: SandboxRunner; passed: string[] }>([
    { runner: 'local', passed: ['PATH', 'LANG', 'TZ', 'LC_ALL', 'PYENV_VERSION', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'SHELL'] },
    { runner: 'sandbox-exec', passed: ['PATH', 'LANG', 'TZ', 'LC_ALL', 'PYENV_VERSION', 'USER', 'LOGNAME'] },
    { runner: 'bubblewrap', passed: ['PATH', 'LANG', 'TZ', 'LC_ALL', 'PYENV_VERSION'] },
  ])('$runner passes exactly the shared allowlist and its additions', ({ runner, passed }) => {
    const env = sandboxEnvironment({ runner, hostEnv: host });
    expect(Object.keys(env).sort()).toEqual([...passed, 'CI', 'NO_COLOR', 'TERM'].sort());
    for (const name of passed) expect(env[name]).toBe(host[name as keyof typeof host]);
    expect(env).not.toHaveProperty('OPENAI_API_KEY');
    expect(env).not.toHaveProperty('NODE_OPTIONS');
  });

  it('layers runner over host, command over runner, and the non-interactive settings over all', () => {
    const env = sandboxEnvironment({
      runner: 'bubblewrap',
      hostEnv: host,
      runnerEnv: { HOME: '/home/nightshift', PATH: '/deps/bin:/usr/bin', XDG_CACHE_HOME: '/cache' },
      commandEnv: { XDG_CACHE_HOME: '/other', TERM: 'xterm', FOO: 'bar' },
    });
    expect(env).toMatchObject({ HOME: '/home/nightshift', PATH: '/deps/bin:/usr/bin', XDG_CACHE_HOME: '/other', FOO: 'bar' });
    expect(env).toMatchObject({ CI: '1', NO_COLOR: '1', TERM: 'dumb' });
  });
});
