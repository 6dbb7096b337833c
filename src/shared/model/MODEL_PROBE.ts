/**
 * The preflight's one tiny call per role: the task id it is made under (a real task id never looks like
 * this), and the answer it asks for. The scripted backend answers it by itself, so scripts need no entry.
 */
export const MODEL_PROBE = {
  taskId: 'nightshift-preflight',
  promptId: 'preflight-probe@1',
  answer: { ready: true },
} as const;
