import { describe, expect, it } from 'vitest';
import { nodeForkEnv } from '../../../../src/runtime/host/nodeForkEnv.js';

describe('nodeForkEnv', () => {
  it('under Node, gives the environment as it is: the fork runs Node itself', () => {
    const env = { PATH: '/usr/bin', NIGHTSHIFT_LLAMA_THREADS: '2' };
    expect(nodeForkEnv({ env, versions: { node: '20.18.0', v8: '12.4' } })).toBe(env);
  });

  it('under Electron, asks the Electron binary to run the script as Node, keeping the rest and leaving the given object alone', () => {
    const env = { PATH: '/usr/bin', NIGHTSHIFT_LLAMA_THREADS: '2' };
    const forked = nodeForkEnv({ env, versions: { node: '20.18.0', electron: '33.2.0' } });
    expect(forked).toEqual({ PATH: '/usr/bin', NIGHTSHIFT_LLAMA_THREADS: '2', ELECTRON_RUN_AS_NODE: '1' });
    expect(env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
  });

  it('under Electron, overrides an ELECTRON_RUN_AS_NODE that would not run Node', () => {
    expect(nodeForkEnv({ env: { ELECTRON_RUN_AS_NODE: '' }, versions: { electron: '33.2.0' } }).ELECTRON_RUN_AS_NODE).toBe('1');
  });

  it('is what this process forks with: plain Node here, so the child environment is unchanged', () => {
    expect(process.versions.electron).toBeUndefined();
    expect(nodeForkEnv({ env: process.env, versions: process.versions })).toBe(process.env);
  });
});
