import type { EnvironmentComponent } from '../../shared/EnvironmentUnavailableError.js';

/** One line of the preflight checklist. */
export interface PreflightCheck {
  /** Stable id: `disk`, `repository`, `backlog`, `config`, `model:<role>`, `sandbox`, `runner`, `dependencies`, `baseline`. */
  id: string;
  /** What was checked, e.g. `coder model answers`. */
  title: string;
  /** `failed` stops a night before it starts; `warning` lets it run and says what may go wrong. */
  status: 'ok' | 'warning' | 'failed';
  /** What was found. */
  detail: string;
  /** What to do about it; empty when the check is ok. */
  fix: string;
  /** The environment part a failure is about, for re-checking it during a night. */
  component?: EnvironmentComponent;
}
