/** Quotes one argument for `/bin/sh`; plain path-like words are left as they are for readable commands. */
export function shellQuote(argument: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(argument)) return argument;
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}
