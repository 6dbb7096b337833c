/** The first non-blank line of a runner's message, trimmed to 300 characters: what a rail's finding quotes. */
export function firstMessageLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '';
}
