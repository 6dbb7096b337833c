/**
 * Whether a reviewer's quoted ask literally appears in the task text. Whitespace runs compare equal and
 * surrounding quotes are ignored, so a quote re-wrapped across lines still counts; anything paraphrased
 * does not.
 */
export function quoteIsInTask(options: { quote: string; taskText: string }): boolean {
  const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
  const quote = normalize(options.quote).replace(/^["'“”‘’`]+|["'“”‘’`]+$/g, '').trim();
  if (quote.length < 8) return false;
  return normalize(options.taskText).includes(quote);
}
