/** What a mutant changed: the operator kinds, in the order `createMutants` prefers them. */
export const MUTANT_KINDS = ['flip-compare', 'off-by-one', 'return-none', 'swap-logic', 'flip-boolean', 'swap-arith'] as const;
