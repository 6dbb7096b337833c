import { NightshiftError } from '../../shared/NightshiftError.js';

/** The model server could not listen on its address, usually because the port is taken. */
export class ServeListenError extends NightshiftError {
  constructor(options: { host: string; port: number; reason: string; cause?: unknown }) {
    super({
      code: 'SERVE_LISTEN_FAILED',
      message: `Cannot listen on ${options.host}:${options.port} (${options.reason}).`,
      hint: options.reason === 'EADDRINUSE' ? 'Another program uses this port: pick another with --port, or --port 0 for any free one.' : 'Pick another port with --port.',
      context: { host: options.host, port: options.port, reason: options.reason },
      cause: options.cause,
    });
  }
}
