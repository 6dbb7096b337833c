import type { PreflightCheck } from './PreflightCheck.js';

/** The preflight checklist: `ok` unless a check failed. */
export interface PreflightReport {
  ok: boolean;
  checks: PreflightCheck[];
}
