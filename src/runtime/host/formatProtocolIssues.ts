import type { z } from 'zod';

/** One line naming each problem of a message that failed its modelHostProtocol schema: `path: message; ...`. */
export function formatProtocolIssues(options: {
  /** The failed parse's error. */
  error: z.ZodError;
}): string {
  return options.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ');
}
