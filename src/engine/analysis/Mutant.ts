import type { MUTANT_KINDS } from './MUTANT_KINDS.js';

/** One deterministic mutant of a changed file: the whole file with one operator changed on a changed line. */
export interface Mutant {
  /** Stable for the same change, e.g. `calc/tax.py:12:flip-compare` (`:2`, `:3`... when a line has more of a kind). */
  id: string;
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line of the changed operator in the file after the change. */
  line: number;
  kind: (typeof MUTANT_KINDS)[number];
  /** For people, e.g. "calc/tax.py:12: `<` -> `<=`". */
  description: string;
  /** The whole mutated file. */
  content: string;
}
