/**
 * Keeps the first `limitBytes` of a stream and drops the rest. The text ends with the same marker the local
 * runner writes, so gates and people read a cut the same way whichever sandbox ran the command.
 */
export function createOutputCapture(options: {
  /** Bytes kept; what comes after is dropped and the capture marked truncated. */
  limitBytes: number;
}): { push(chunk: Buffer): void; text(): string; readonly truncated: boolean } {
  const limit = options.limitBytes;
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  return {
    push(chunk) {
      if (size >= limit) {
        if (chunk.length > 0) truncated = true;
        return;
      }
      const room = limit - size;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        size = limit;
        truncated = true;
      } else {
        chunks.push(chunk);
        size += chunk.length;
      }
    },
    text() {
      const body = Buffer.concat(chunks).toString('utf8');
      return truncated ? `${body}\n[output truncated at ${limit} bytes]` : body;
    },
    get truncated() {
      return truncated;
    },
  };
}
