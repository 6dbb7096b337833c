import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { eventChannel, pickFolderChannel, protocolChannel, protocolNames, type NightshiftBridge } from '../../../src/shared/protocol.js';

// The preload script loaded against a fake `electron`: what it exposes to the window, and which IPC
// channels the window can reach through it.
const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed,
    invoked,
    listeners,
    module: {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: {
        invoke: async (channel: string, ...args: unknown[]) => {
          invoked.push({ channel, args });
          return { ok: true, value: `answer from ${channel}` };
        },
        on: (channel: string, listener: (...args: unknown[]) => void) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)!.add(listener);
        },
        removeListener: (channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener),
      },
    },
  };
});
vi.mock('electron', () => electron.module);

let bridge: NightshiftBridge;

beforeAll(async () => {
  await import('../../../src/preload/index.js');
  bridge = electron.exposed.get('nightshift') as NightshiftBridge;
});

describe('the preload bridge', () => {
  it('exposes exactly invoke, onEvent and pickFolder as window.nightshift, and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['nightshift']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent', 'pickFolder']);
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
  });

  it('forwards each protocol message on its own channel with the request', async () => {
    for (const name of protocolNames) {
      const result = await bridge.invoke(name, { probe: name } as never);
      expect(result).toEqual({ ok: true, value: `answer from ${protocolChannel(name)}` });
    }
    expect(electron.invoked.splice(0)).toEqual(protocolNames.map((name) => ({ channel: protocolChannel(name), args: [{ probe: name }] })));
  });

  it('refuses names outside the protocol without sending anything', async () => {
    const attempts = ['pick-folder', 'nightshift:session/list', '../session/list', 'session/list ', 'constructor', '__proto__', '', 42, null, { toString: () => 'session/list' }];
    for (const name of attempts) {
      const result = await bridge.invoke(name as never, {} as never);
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_MESSAGE' } });
    }
    expect(electron.invoked).toEqual([]);
  });

  it('asks for a folder on the picker channel only', async () => {
    await bridge.pickFolder();
    expect(electron.invoked.splice(0)).toEqual([{ channel: pickFolderChannel, args: [] }]);
  });

  it('hands the window event payloads only, and stops when unsubscribed', () => {
    const seen: unknown[] = [];
    const stop = bridge.onEvent((event) => seen.push(event));
    const [forward] = electron.listeners.get(eventChannel) ?? [];
    const event: EngineEvent = { at: 1, type: 'log', level: 'info', message: 'hello' };
    forward?.({ sender: 'the IpcRendererEvent, which the window never sees' }, event);
    expect(seen).toEqual([event]);
    stop();
    expect(electron.listeners.get(eventChannel)?.size).toBe(0);
    expect(() => bridge.onEvent('not a function' as never)).toThrow(TypeError);
  });
});
