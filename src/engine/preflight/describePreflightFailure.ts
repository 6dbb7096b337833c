import type { PreflightReport } from './PreflightReport.js';

/** One line per failed check, with its fix: the reason a blocked session records and `status` shows. */
export function describePreflightFailure(options: { report: PreflightReport }): string {
  return options.report.checks
    .filter((check) => check.status === 'failed')
    .map((check) => `preflight: ${check.title} failed: ${check.detail.split('\n')[0] ?? ''} Fix: ${check.fix}`)
    .join('\n');
}
