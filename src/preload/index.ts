import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import { NightshiftError } from '../shared/NightshiftError.js';
import { eventChannel, isProtocolName, pickFolderChannel, protocolChannel, type NightshiftBridge } from '../shared/protocol.js';

// The window gets these three functions and nothing else: no ipcRenderer, no channel names of its choosing.
const bridge: NightshiftBridge = {
  invoke(name, request) {
    if (!isProtocolName(name)) {
      const unknown = new NightshiftError({
        code: 'UNKNOWN_MESSAGE',
        message: `"${String(name)}" is not a Nightshift message.`,
        hint: 'This is a bug in the window; it asked for a message the host does not have.',
      });
      return Promise.resolve({ ok: false, error: unknown.toJSON() });
    }
    return ipcRenderer.invoke(protocolChannel(name), request);
  },

  onEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a listener function.');
    const forward = (_event: IpcRendererEvent, payload: EngineEvent) => listener(payload);
    ipcRenderer.on(eventChannel, forward);
    return () => {
      ipcRenderer.removeListener(eventChannel, forward);
    };
  },

  pickFolder() {
    return ipcRenderer.invoke(pickFolderChannel);
  },
};

contextBridge.exposeInMainWorld('nightshift', bridge);
