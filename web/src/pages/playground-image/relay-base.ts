// Where the relay routes are: the console's own origin (the gateway serves
// both), or the gateway the session was opened against (dev server, tests).

/** Absolute origin for relay calls and code snippets. */
export function relayBase(apiBase: string): string {
  return (apiBase || globalThis.location?.origin || '').replace(/\/+$/, '');
}
