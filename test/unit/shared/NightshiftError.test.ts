import { describe, expect, it } from 'vitest';
import { NightshiftError } from '../../../src/shared/NightshiftError.js';
import { nightshiftErrorDataSchema } from '../../../src/shared/nightshiftErrorDataSchema.js';
import type { NightshiftErrorData } from '../../../src/shared/NightshiftErrorData.js';

class DiskFullError extends NightshiftError {
  constructor(options: { path: string; cause?: unknown }) {
    super({ code: 'DISK_FULL', message: `No space left for ${options.path}.`, hint: 'Free some disk space.', context: { path: options.path }, cause: options.cause });
  }
}

/** What a process boundary does: toJSON, text on the wire, validation on the other side. */
function overTheWire(error: unknown): NightshiftErrorData {
  const data = error instanceof NightshiftError ? error.toJSON() : NightshiftError.toData({ error });
  return nightshiftErrorDataSchema.parse(JSON.parse(JSON.stringify(data)));
}

describe('NightshiftError over JSON', () => {
  it('carries name, code, message, hint and context, and JSON.stringify uses the same form', () => {
    const error = new DiskFullError({ path: '/data/x.db' });
    expect(overTheWire(error)).toEqual({
      name: 'DiskFullError',
      code: 'DISK_FULL',
      message: 'No space left for /data/x.db.',
      hint: 'Free some disk space.',
      context: { path: '/data/x.db' },
    });
    expect(JSON.parse(JSON.stringify({ error }))).toEqual({ error: error.toJSON() });
  });

  it('brings a class the receiver knows back as itself, cause chain included', () => {
    const original = new NightshiftError({
      code: 'STORE_FAILED',
      message: 'Could not save the attempt.',
      hint: 'Check the data directory.',
      context: { attempt: 2 },
      cause: new DiskFullError({ path: '/data/x.db', cause: new TypeError('write failed') }),
    });
    const rebuilt = NightshiftError.fromJSON({
      data: overTheWire(original),
      revivers: { DiskFullError: (data) => new DiskFullError({ path: String(data.context.path) }) },
    });
    expect(rebuilt).toBeInstanceOf(NightshiftError);
    expect(rebuilt).toMatchObject({ name: 'NightshiftError', code: 'STORE_FAILED', hint: 'Check the data directory.', context: { attempt: 2 } });
    const cause = rebuilt.cause;
    expect(cause).toBeInstanceOf(DiskFullError);
    expect(cause).toMatchObject({ code: 'DISK_FULL', context: { path: '/data/x.db' } });
    const root = (cause as Error).cause;
    expect(root).toBeInstanceOf(NightshiftError);
    expect(root).toMatchObject({ name: 'TypeError', code: 'UNEXPECTED_ERROR', message: 'write failed', context: { stack: expect.stringContaining('write failed') } });
  });

  it('brings an unknown class back as a NightshiftError with the same name and code', () => {
    const rebuilt = NightshiftError.fromJSON({ data: overTheWire(new DiskFullError({ path: '/tmp' })) });
    expect(rebuilt).not.toBeInstanceOf(DiskFullError);
    expect(rebuilt).toBeInstanceOf(NightshiftError);
    expect(rebuilt).toMatchObject({ name: 'DiskFullError', code: 'DISK_FULL', message: 'No space left for /tmp.', hint: 'Free some disk space.', context: { path: '/tmp' } });
  });

  it('rebuilds unknown classes with `otherwise` when the receiver has its own remote-error class', () => {
    class RemoteError extends NightshiftError {}
    const rebuilt = NightshiftError.fromJSON({
      data: overTheWire(new DiskFullError({ path: '/tmp' })),
      otherwise: (data) => new RemoteError({ code: data.code, message: data.message, hint: data.hint, context: { ...data.context, remoteName: data.name } }),
    });
    expect(rebuilt).toBeInstanceOf(RemoteError);
    expect(rebuilt).toMatchObject({ code: 'DISK_FULL', context: { path: '/tmp', remoteName: 'DiskFullError' } });
  });

  it('turns other thrown values into data with the fallback code, and keeps only what survives JSON', () => {
    expect(NightshiftError.toData({ error: 'a string', fallback: { code: 'BACKEND_FAILED', hint: 'h' } })).toEqual({
      name: 'string',
      code: 'BACKEND_FAILED',
      message: 'a string',
      hint: 'h',
      context: {},
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const data = overTheWire(new NightshiftError({ code: 'X', message: 'm', hint: 'h', context: { cyclic, fn: () => 1, n: 1 } }));
    expect(data.context).toEqual({ cyclic: '[object Object]', n: 1 });
  });

  it('stops a cyclic cause chain', () => {
    const a = new NightshiftError({ code: 'A', message: 'a', hint: 'h' });
    const b = new NightshiftError({ code: 'B', message: 'b', hint: 'h', cause: a });
    Object.defineProperty(a, 'cause', { value: b });
    let depth = 0;
    for (let data: NightshiftErrorData | undefined = overTheWire(b); data; data = data.cause) depth += 1;
    expect(depth).toBe(9);
  });

  it('rejects data that is not an error on the wire', () => {
    expect(nightshiftErrorDataSchema.safeParse({ code: 'X', message: 'm' }).success).toBe(false);
    expect(nightshiftErrorDataSchema.safeParse({ name: 'E', code: 'X', message: 'm', hint: 'h', context: {}, cause: { code: 1 } }).success).toBe(false);
  });
});
