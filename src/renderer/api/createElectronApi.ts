import { NightshiftError } from '../../shared/NightshiftError.js';
import type { NightshiftBridge } from '../../shared/protocol.js';
import { ApiCallError } from './ApiCallError.js';
import type { NightshiftApi } from './NightshiftApi.js';

declare global {
  interface Window {
    /** Set by the Electron preload script; absent in a plain browser. */
    nightshift?: NightshiftBridge;
  }
}

/** The API over the bridge the Electron preload script exposes as `window.nightshift`. */
export function createElectronApi(
  options: {
    /** The bridge to use. Default: `window.nightshift`. */
    bridge?: NightshiftBridge;
  } = {},
): NightshiftApi {
  const bridge = options.bridge ?? window.nightshift;
  if (!bridge) {
    throw new NightshiftError({
      code: 'BRIDGE_MISSING',
      message: 'The Nightshift bridge (window.nightshift) is not available in this window.',
      hint: 'Open the app through Electron, or use the browser API against `nightshift serve`.',
    });
  }
  return {
    invoke: async (name, request) => ApiCallError.unwrap(name, await bridge.invoke(name, request)),
    onEvent: (listener) => bridge.onEvent(listener),
    pickFolder: () => bridge.pickFolder(),
  };
}
