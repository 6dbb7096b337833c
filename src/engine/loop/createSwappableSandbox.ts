import type { Sandbox } from '../../shared/sandbox/Sandbox.js';

/**
 * A sandbox that can be restarted mid-session (a fresh container after Docker restarted), so everything
 * holding it keeps working. Disposing it disposes the current one.
 */
export function createSwappableSandbox(options: { sandbox: Sandbox }): Sandbox & {
  /**
   * Disposes the current sandbox (its failures ignored: it is usually gone already), then uses the one
   * `create` makes. When `create` throws, the old one stays in place and the error is rethrown.
   */
  restart(create: () => Promise<Sandbox>): Promise<void>;
} {
  let current = options.sandbox;
  return {
    get kind() {
      return current.kind;
    },
    get isolated() {
      return current.isolated;
    },
    run: (runOptions) => current.run(runOptions),
    dispose: () => current.dispose(),
    async restart(create) {
      await current.dispose().catch(() => undefined);
      current = await create();
    },
  };
}
