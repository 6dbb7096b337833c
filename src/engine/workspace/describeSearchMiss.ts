/** Search lines compared per window; longer searches are located by their start. */
const MAX_SEARCH_LINES = 20;
/** Lines of context shown around the closest match. */
const CONTEXT_LINES = 2;
/** Characters of a line taken into the similarity measure. */
const MAX_COMPARED_CHARS = 200;

/**
 * Explains why `search` was not found in `content`, showing the numbered lines that resemble it most so a
 * model can copy the real text on its next try.
 */
export function describeSearchMiss(options: {
  /** Current file content. */
  content: string;
  /** The search text that does not occur in it. */
  search: string;
}): string {
  const fileLines = options.content.split('\n');
  if (squash(options.content).includes(squash(options.search))) {
    const at = bestWindow(fileLines, options.search);
    return `the search text matches only when whitespace is ignored; copy indentation and line breaks exactly. Nearest lines:\n${excerpt(fileLines, at.start, at.length)}`;
  }
  const at = bestWindow(fileLines, options.search);
  if (at.score === 0) {
    return `the search text was not found and no line resembles it. The file begins:\n${excerpt(fileLines, 0, Math.min(10, fileLines.length))}`;
  }
  return `the search text was not found. Nearest lines:\n${excerpt(fileLines, at.start, at.length)}`;
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function bestWindow(fileLines: string[], search: string): { start: number; length: number; score: number } {
  const searchLines = search
    .split('\n')
    .map((line) => line.trim())
    .slice(0, MAX_SEARCH_LINES);
  while (searchLines.length > 1 && searchLines.at(-1) === '') searchLines.pop();
  let best = { start: 0, length: searchLines.length, score: 0 };
  for (let start = 0; start < fileLines.length; start += 1) {
    let score = 0;
    for (let offset = 0; offset < searchLines.length; offset += 1) {
      const line = fileLines[start + offset];
      if (line === undefined) break;
      score += similarity(searchLines[offset] ?? '', line.trim());
    }
    if (score > best.score) best = { start, length: searchLines.length, score };
  }
  return best;
}

/** Dice coefficient over character bigrams: 1 for equal lines, 0 for nothing in common. */
function similarity(a: string, b: string): number {
  if (a === b) return a === '' ? 0 : 1;
  if (a.length < 2 || b.length < 2) return 0;
  const grams = new Map<string, number>();
  const left = a.slice(0, MAX_COMPARED_CHARS);
  const right = b.slice(0, MAX_COMPARED_CHARS);
  for (let index = 0; index < left.length - 1; index += 1) {
    const gram = left.slice(index, index + 2);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  let shared = 0;
  for (let index = 0; index < right.length - 1; index += 1) {
    const gram = right.slice(index, index + 2);
    const count = grams.get(gram) ?? 0;
    if (count > 0) {
      shared += 1;
      grams.set(gram, count - 1);
    }
  }
  return (2 * shared) / (left.length - 1 + right.length - 1);
}

function excerpt(fileLines: string[], start: number, length: number): string {
  const from = Math.max(0, start - CONTEXT_LINES);
  const to = Math.min(fileLines.length, start + Math.max(length, 1) + CONTEXT_LINES);
  const width = String(to).length;
  return fileLines
    .slice(from, to)
    .map((line, index) => `${String(from + index + 1).padStart(width)} | ${line}`)
    .join('\n');
}
