import { NightshiftError } from '../../shared/NightshiftError.js';

/** The model server was asked to listen on an address other machines could reach. */
export class NonLoopbackHostError extends NightshiftError {
  constructor(options: { host: string }) {
    super({
      code: 'SERVE_HOST_NOT_LOOPBACK',
      message: `Refusing to serve models on ${options.host}: only loopback addresses (127.0.0.1, ::1) are allowed.`,
      hint: 'To use the models from another machine, forward the port over SSH: ssh -N -L 8080:127.0.0.1:<port> <this-mac>.',
      context: { host: options.host },
    });
  }
}
