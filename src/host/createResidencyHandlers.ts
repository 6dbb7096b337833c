import type { ProtocolRequest, ResidencyReport } from '../shared/protocol.js';
import type { ModelResidency, ModelTarget } from './createModelResidency.js';
import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';
import type { SessionSupervisor } from './SessionSupervisor.js';

type ResidencyHandlers = Pick<HostHandlers, 'models/residency' | 'models/load' | 'models/unload' | 'models/pin' | 'models/try'>;

/** What the Residency view shows while a session runs, where the app host cannot see the session's models. */
const SESSION_NOTE =
  "A session is running: its models live in the engine process's own model host, which this view does not show. " +
  "What is listed here is the app's model host, which also takes memory while the session runs.";

/** The `models/residency`, `models/load`, `models/unload`, `models/pin` and `models/try` messages, over the app's model host. */
export function createResidencyHandlers(options: {
  context: HostContext;
  /** The app's model processes (createModelResidency), disposed by the host. */
  residency: ModelResidency;
  /** Whether a session runs; null in a host that cannot run sessions. */
  supervisor: SessionSupervisor | null;
}): ResidencyHandlers {
  const { context, residency, supervisor } = options;
  const report = (): ResidencyReport => residency.report({ session: supervisor?.busy() ? SESSION_NOTE : null });
  // The project guard runs before anything is planned or loaded.
  const targetOf = (request: ProtocolRequest<'models/load'>): ModelTarget => ({
    ...(request.role === undefined ? {} : { role: request.role }),
    ...(request.ggufFile === undefined ? {} : { ggufFile: request.ggufFile }),
    ...(request.projectPath === undefined ? {} : { projectDir: context.openedProject(request.projectPath).path }),
  });
  return {
    'models/residency': () => report(),
    'models/load': async (request) => {
      await residency.load(targetOf(request));
      return report();
    },
    'models/unload': async ({ modelId }) => {
      await residency.unload({ modelId });
      return report();
    },
    'models/pin': ({ modelId, pinned }) => {
      residency.pin({ modelId, pinned });
      return report();
    },
    'models/try': (request) => {
      const { tryId, prompt, system, maxTokens } = request;
      return residency.tryPrompt({ ...targetOf(request), tryId, prompt, ...(system === undefined ? {} : { system }), ...(maxTokens === undefined ? {} : { maxTokens }) });
    },
  };
}
