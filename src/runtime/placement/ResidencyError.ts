import { NightshiftError } from '../../shared/NightshiftError.js';

const DETAILS = {
  'unknown-model': { code: 'RESIDENCY_UNKNOWN_MODEL', hint: 'Acquire only models the residency manager was created with (the profile\'s models).' },
  busy: {
    code: 'RESIDENCY_BUSY',
    hint: 'Release the leases of the models named before acquiring this one; the loop runs one model call at a time.',
  },
  disposed: { code: 'RESIDENCY_DISPOSED', hint: 'Create a new residency manager; this one has unloaded its models.' },
} as const;

/** A residency request that cannot be served: an unknown model, memory held by models in use, or a disposed manager. */
export class ResidencyError extends NightshiftError {
  constructor(options: { kind: keyof typeof DETAILS; message: string; context?: Record<string, unknown> }) {
    super({ code: DETAILS[options.kind].code, message: options.message, hint: DETAILS[options.kind].hint, context: { kind: options.kind, ...options.context } });
  }
}
