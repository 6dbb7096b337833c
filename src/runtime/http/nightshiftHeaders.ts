/**
 * Request headers that carry a call's place in the loop next to an OpenAI request. The OpenAI body has
 * no field for them, and servers that do not know them ignore headers, where some reject unknown body
 * fields; `nightshift models serve` reads them so a scripted or role-specific backend behind it sees the
 * same meta as a local one.
 */
export const nightshiftHeaders = {
  role: 'x-nightshift-role',
  promptId: 'x-nightshift-prompt-id',
  taskId: 'x-nightshift-task-id',
  phase: 'x-nightshift-phase',
  attempt: 'x-nightshift-attempt',
} as const;
