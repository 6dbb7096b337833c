import { createMetricsQueries, type MetricsQueries, type MetricsScope } from '../engine/store/createMetricsQueries.js';
import { openDataDir } from '../engine/store/openDataDir.js';
import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';
import { RecordNotFoundError } from './RecordNotFoundError.js';

type MetricsHandlers = Pick<HostHandlers, 'metrics/summary' | 'history/search' | 'history/audit'>;

/** The Metrics and History views' messages: indexed SQL over the host's database, read-only. */
export function createMetricsHandlers(options: {
  context: HostContext;
  /** `better_sqlite3.node` built for this runtime's ABI (Electron's). Default: the package's own Node build. */
  nativeBinding?: string;
}): MetricsHandlers {
  const { context } = options;
  const { dbPath } = openDataDir({ dir: context.dataDir, readOnly: true });
  // A connection per request, closed right after: opening one costs well under a millisecond next to the
  // queries, and the host then holds nothing that its dispose would have to know about.
  const withQueries = <T>(read: (queries: MetricsQueries) => T): T => {
    const queries = createMetricsQueries({ path: dbPath, ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }) });
    try {
      return read(queries);
    } finally {
      queries.dispose();
    }
  };
  const scopeOf = (request: { projectPath?: string | undefined; from?: number | undefined; to?: number | undefined }): MetricsScope => ({
    ...(request.projectPath === undefined ? {} : { projectId: context.openedProject(request.projectPath).id }),
    ...(request.from === undefined ? {} : { from: request.from }),
    ...(request.to === undefined ? {} : { to: request.to }),
  });

  return {
    'metrics/summary': (request) => {
      const scope = scopeOf(request);
      return withQueries((queries) => queries.summary(scope));
    },

    'history/search': ({ projectPath, from, to, ...search }) => {
      const scope = scopeOf({ projectPath, from, to });
      return withQueries((queries) => queries.searchHistory({ ...search, ...scope }));
    },

    'history/audit': ({ taskRunId }) => {
      const explanation = context.store.explain(taskRunId);
      if (!explanation) throw new RecordNotFoundError({ kind: 'task run', id: taskRunId });
      return { record: explanation.audit === null ? null : { ...explanation.audit } };
    },
  };
}
