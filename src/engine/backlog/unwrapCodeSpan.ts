/**
 * Returns the content of a value written entirely as one markdown code span (`` `npm test` ``,
 * ``` `` a`b `` ```), following CommonMark: one space is stripped from each side when both sides have
 * one. Any other value comes back trimmed and unchanged.
 */
export function unwrapCodeSpan(options: {
  /** The raw field value. */
  value: string;
}): string {
  const value = options.value.trim();
  const run = /^`+/.exec(value)?.[0].length ?? 0;
  if (run === 0 || value.length <= run * 2) return value;
  const closing = /`+$/.exec(value)?.[0].length ?? 0;
  if (closing !== run) return value;
  const inner = value.slice(run, value.length - run);
  // A backtick run of the same length inside would have closed the span early.
  const runs = inner.match(/`+/g) ?? [];
  if (runs.some((r) => r.length === run)) return value;
  if (inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '') return inner.slice(1, -1);
  return inner;
}
