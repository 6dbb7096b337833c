// Nightshift's reporter for node's test runner (Node 18.19+): one JSON line per finished test or suite, with
// its file, nesting and error, and the stderr or diagnostics of each file (how a file that cannot load is
// explained). Node's own TAP output names the file only of failing tests, so it cannot identify passing ones.
export default async function* nightshiftReporter(source) {
  for await (const event of source) {
    const data = event.data ?? {};
    if (event.type === 'test:pass' || event.type === 'test:fail') {
      const error = data.details?.error;
      yield `${JSON.stringify({
        kind: 'test',
        passed: event.type === 'test:pass',
        name: data.name,
        nesting: data.nesting,
        file: data.file ?? null,
        line: data.line ?? null,
        suite: data.details?.type === 'suite',
        skip: data.skip !== undefined && data.skip !== false,
        todo: data.todo !== undefined && data.todo !== false,
        failureType: error?.failureType ?? null,
        error: error ? String(error.cause?.stack ?? error.cause?.message ?? error.message ?? error).slice(0, 4000) : null,
      })}\n`;
    } else if (event.type === 'test:stderr' || (event.type === 'test:diagnostic' && data.file)) {
      yield `${JSON.stringify({ kind: 'output', file: data.file ?? null, message: String(data.message ?? '').slice(0, 4000) })}\n`;
    }
  }
}
