// Clients PUT back the whole object they read (new-api's console does), so a
// body carries money twice (USD and units) and carries amounts that were true
// when it was read but may have moved since (requests keep spending).
// These helpers read the client's intent out of such an echo.

/**
 * Of two twin fields (ours and new-api's), the one that differs from what is
 * stored is the edit; new-api's wins a tie.
 */
export function pickEdited<T>(ours: T | undefined, theirs: T | undefined, oursNow: T | undefined, theirsNow: T | undefined): 'ours' | 'theirs' | undefined {
  if (theirs !== undefined && ours !== undefined) return theirs === theirsNow && ours !== oursNow ? 'ours' : 'theirs';
  if (theirs !== undefined) return 'theirs';
  return ours !== undefined ? 'ours' : undefined;
}

/**
 * A remaining amount the client set while looking at `usedSeen` spent: spending
 * since then still counts. Returns the new value of the stored counterpart
 * (`spent + remaining` for a token's total, or a user's balance), or undefined
 * when the echo changes nothing (within a micro-dollar of unit rounding).
 *
 * - token: stored = total quota; remaining = total - used  → total = usedSeen + remaining
 * - user:  stored = balance;     balance shrinks as used grows → balance = given - (usedNow - usedSeen)
 */
export function tokenTotalFromEcho(remaining: number, usedSeen: number, currentTotal: number | undefined): number | undefined {
  const total = usedSeen + remaining;
  return currentTotal !== undefined && Math.abs(total - currentTotal) <= 1 ? undefined : total;
}

export function balanceFromEcho(given: number, usedSeen: number, usedNow: number, currentBalance: number): number | undefined {
  const balance = Math.max(0, given - Math.max(0, usedNow - usedSeen));
  return Math.abs(balance - currentBalance) <= 1 ? undefined : balance;
}
