import type { GateReport } from '../../shared/gateReportSchema.js';

/** Every failing rail as one message for the next attempt, each rail's detail cut to 8 KB. */
export function formatRailFeedback(options: { report: GateReport }): string {
  const failed = options.report.rails.filter((rail) => !rail.passed && !rail.skipped);
  return failed
    .map((rail) => `### Rail "${rail.name}" failed${rail.file ? ` (${rail.file})` : ''}\n${rail.detail.slice(0, 8192)}`)
    .join('\n\n');
}
