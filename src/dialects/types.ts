/** The wire formats a client (or an upstream) can speak. */
export type DialectName = 'openai' | 'anthropic' | 'gemini';
