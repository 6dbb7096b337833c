/**
 * A value for one `{{placeholder}}`: plain text is always kept whole; a trimmable value may be cut from
 * the middle to fit the token budget, lowest `priority` first.
 */
export type PromptValue = string | { text: string; trimmable: true; priority: number };
