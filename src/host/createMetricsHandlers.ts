import { createMetricsQueries, type MetricsQueries, type MetricsScope } from '../engine/store/createMetricsQueries.js';
import { openDataDir } from '../engine/store/openDataDir.js';
import type { MetricsSummary } from '../shared/protocol.js';
import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';
import { RecordNotFoundError } from './RecordNotFoundError.js';

type MetricsHandlers = Pick<HostHandlers, 'metrics/summary' | 'history/search' | 'history/audit'>;

/** Summaries kept for the scopes asked since the database last changed; more are rarely worth keeping. */
const SUMMARIES_KEPT = 16;

/**
 * The Metrics and History views' messages: indexed SQL over the host's database through a read-only
 * connection of their own, opened on first use and closed with the host.
 */
export function createMetricsHandlers(options: {
  context: HostContext;
  /** Aborted when the host closes; the read connection closes with it. */
  closed: AbortSignal;
  /** `better_sqlite3.node` built for this runtime's ABI (Electron's). Default: the package's own Node build. */
  nativeBinding?: string;
}): MetricsHandlers {
  const { context } = options;
  const { dbPath } = openDataDir({ dir: context.dataDir, readOnly: true });
  let connection: MetricsQueries | null = null;
  const queries = (): MetricsQueries =>
    (connection ??= createMetricsQueries({ path: dbPath, ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }) }));
  options.closed.addEventListener(
    'abort',
    () => {
      connection?.dispose();
      connection = null;
    },
    { once: true },
  );

  // A whole history's summary takes a good part of the view's time budget at 10,000 task runs, and the view
  // asks again each time it is shown: it is answered again only after something was written to the database.
  const summaries = new Map<string, MetricsSummary>();
  let summariesVersion: number | null = null;

  const scopeOf = (request: { projectPath?: string | undefined; from?: number | undefined; to?: number | undefined }): MetricsScope => ({
    ...(request.projectPath === undefined ? {} : { projectId: context.openedProject(request.projectPath).id }),
    ...(request.from === undefined ? {} : { from: request.from }),
    ...(request.to === undefined ? {} : { to: request.to }),
  });

  return {
    'metrics/summary': (request) => {
      const scope = scopeOf(request);
      const reader = queries();
      const version = reader.dataVersion();
      if (version !== summariesVersion || summaries.size >= SUMMARIES_KEPT) {
        summaries.clear();
        summariesVersion = version;
      }
      const key = JSON.stringify(scope);
      const known = summaries.get(key);
      if (known) return known;
      const summary = reader.summary(scope);
      summaries.set(key, summary);
      return summary;
    },

    'history/search': ({ projectPath, from, to, ...search }) => queries().searchHistory({ ...search, ...scopeOf({ projectPath, from, to }) }),

    'history/audit': ({ taskRunId }) => {
      const explanation = context.store.explain(taskRunId);
      if (!explanation) throw new RecordNotFoundError({ kind: 'task run', id: taskRunId });
      return { record: explanation.audit === null ? null : { ...explanation.audit } };
    },
  };
}
