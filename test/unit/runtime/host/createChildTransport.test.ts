import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createChildTransport } from '../../../../src/runtime/host/createChildTransport.js';
import { ModelHostChannelMissingError } from '../../../../src/runtime/host/ModelHostChannelMissingError.js';

/** Electron's utilityProcess `process.parentPort`: messages arrive as `{ data }` events, replies go out through postMessage. */
class FakeParentPort extends EventEmitter {
  readonly posted: unknown[] = [];
  postMessage(message: unknown) {
    this.posted.push(message);
  }
}

describe('createChildTransport', () => {
  it('talks through Electron’s parentPort when the process has one', async () => {
    const parentPort = new FakeParentPort();
    const transport = createChildTransport({ process: { parentPort } as unknown as NodeJS.Process });
    const received: unknown[] = [];
    transport.onMessage((message) => received.push(message));

    parentPort.emit('message', { data: { type: 'stats', requestId: 's1' }, ports: [] });
    transport.send({ type: 'token', callId: 'c1', text: 'x' });
    expect(received).toEqual([{ type: 'stats', requestId: 's1' }]);
    expect(parentPort.posted).toEqual([{ type: 'token', callId: 'c1', text: 'x' }]);

    await transport.close();
    parentPort.emit('message', { data: { type: 'shutdown' }, ports: [] });
    expect(received).toHaveLength(1);
    expect(parentPort.listenerCount('message')).toBe(0);
  });

  it('refuses a process started without any channel to a parent', () => {
    const orphan = new EventEmitter() as unknown as NodeJS.Process;
    expect(() => createChildTransport({ process: orphan })).toThrow(ModelHostChannelMissingError);
  });
});
