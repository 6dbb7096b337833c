import type { ModelHostChildMessage } from '../../shared/modelHostProtocol.js';
import { ModelHostChannelMissingError } from './ModelHostChannelMissingError.js';

/** How the model process talks to its parent, whichever way it was started. */
export interface ChildTransport {
  send(message: ModelHostChildMessage): void;
  /** Receives every message as sent; validating it is the listener's job. */
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the parent goes away, so the child does not outlive it. */
  onClose(listener: () => void): void;
  /** Stops listening once the messages already sent are out, so the process can exit without losing them. */
  close(): Promise<void>;
}

/** The slice of Electron's `process.parentPort` (utilityProcess) the transport uses; electron is not imported. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/**
 * The model process's side of the channel: Electron's `process.parentPort` when it runs as a
 * utilityProcess, Node's fork IPC (`process.send`, `message`, `disconnect`) otherwise.
 */
export function createChildTransport(options: {
  /** The process to talk through. Default: the current process. */
  process?: NodeJS.Process;
} = {}): ChildTransport {
  const host = options.process ?? process;
  const parentPort = (host as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    const listeners: Array<(event: { data: unknown }) => void> = [];
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage(listener) {
        const wrapped = (event: { data: unknown }) => listener(event.data);
        listeners.push(wrapped);
        parentPort.on('message', wrapped);
      },
      // Electron ends a utility process together with its parent; there is no close to observe.
      onClose() {},
      async close() {
        for (const listener of listeners.splice(0)) parentPort.off('message', listener);
      },
    };
  }
  const send = host.send?.bind(host);
  if (!send) throw new ModelHostChannelMissingError();
  const messageListeners: Array<(message: unknown) => void> = [];
  const closeListeners: Array<() => void> = [];
  let unsent = 0;
  let drained: (() => void) | null = null;
  return {
    send(message) {
      unsent += 1;
      // A failed send means the parent is gone; `disconnect` follows and ends the process.
      send(message, undefined, undefined, () => {
        unsent -= 1;
        if (unsent === 0) drained?.();
      });
    },
    onMessage(listener) {
      messageListeners.push(listener);
      host.on('message', listener);
    },
    onClose(listener) {
      closeListeners.push(listener);
      host.once('disconnect', listener);
    },
    async close() {
      for (const listener of messageListeners.splice(0)) host.off('message', listener);
      for (const listener of closeListeners.splice(0)) host.off('disconnect', listener);
      // process.exit drops IPC messages still being written, so wait for the last send's callback.
      if (unsent > 0) await new Promise<void>((resolve) => (drained = resolve));
      if (host.connected) host.disconnect?.();
    },
  };
}
