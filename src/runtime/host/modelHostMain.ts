/*
 * Entry of the model process (see createModelHost): serves modelHostProtocol over the channel it was
 * started with, and exits when told to, when its parent goes away, or when something fails that no
 * call can own, reporting that as `fatal` first so the parent learns why.
 */
import { createChildTransport } from './createChildTransport.js';
import { serveModelHost } from './serveModelHost.js';
import { toHostedError } from './toHostedError.js';

/** How long a dying process waits for its last report to reach the parent. */
const FATAL_FLUSH_MS = 1000;

const transport = createChildTransport();

const die = (error: unknown) => {
  transport.send({ type: 'fatal', error: toHostedError({ error }) });
  setTimeout(() => process.exit(1), FATAL_FLUSH_MS).unref();
  void transport.close().then(() => process.exit(1));
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

void serveModelHost({ transport }).then(({ exitCode }) => process.exit(exitCode));
