/** Error messages that say the code is not written yet. */
const NOT_IMPLEMENTED = /\b(?:not\s+(?:yet\s+)?implemented|unimplemented|implement\s+me)\b/i;
/** A message that is only a marker, `"TODO"` or `"todo: floats"`; "Todo not found" is a real message. */
const MARKER_MESSAGE = /^\s*(?:(?:TODO|FIXME|XXX)\b|(?:todo|fixme)\s*:)/;

/**
 * Whether the message of a thrown or raised error marks a placeholder: `'not implemented'` for "Not
 * implemented", "Method not implemented.", "unimplemented"; `'TODO'` for a message that starts with an
 * uppercase TODO/FIXME/XXX or with `todo:`; null for any other message.
 */
export function placeholderMessageKind(options: {
  /** The message text, without quotes. */
  message: string;
}): 'not implemented' | 'TODO' | null {
  if (NOT_IMPLEMENTED.test(options.message)) return 'not implemented';
  if (MARKER_MESSAGE.test(options.message)) return 'TODO';
  return null;
}
