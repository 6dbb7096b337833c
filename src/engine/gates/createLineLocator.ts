/** A function from a character offset in `text` to its 1-based line number (binary search over line starts). */
export function createLineLocator(options: {
  /** The text offsets refer to. */
  text: string;
}): (offset: number) => number {
  const starts = [0];
  for (let index = 0; index < options.text.length; index += 1) if (options.text[index] === '\n') starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}
