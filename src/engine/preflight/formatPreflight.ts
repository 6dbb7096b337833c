import type { PreflightReport } from './PreflightReport.js';

const MARK = { ok: '✓', warning: '!', failed: '✗' } as const;

/** The preflight checklist for people: one line per check, its detail indented, and the fix for anything not ok. */
export function formatPreflight(options: { report: PreflightReport }): string {
  const { checks } = options.report;
  const failed = checks.filter((check) => check.status === 'failed').length;
  const warnings = checks.filter((check) => check.status === 'warning').length;
  const lines = [`Preflight: ${failed === 0 ? 'ready' : `${failed} check(s) failed; the night cannot start`}${warnings > 0 ? ` (${warnings} warning(s))` : ''}`];
  for (const check of checks) {
    const [first = '', ...rest] = check.detail.split('\n');
    lines.push(`  ${MARK[check.status]} ${check.title}: ${first}`);
    for (const line of rest) lines.push(`      ${line}`);
    if (check.status !== 'ok' && check.fix) lines.push(`      fix: ${check.fix}`);
  }
  return `${lines.join('\n')}\n`;
}
