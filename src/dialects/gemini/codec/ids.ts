// Ids Gemini's wire leaves out. Calls in a request get stable ids derived from
// their position (the same history always decodes the same way); calls and
// answers from an upstream get random ones.
import { randomBytes } from 'node:crypto';

/** Stable id for the n-th function call of turn `turn` of a request. */
export function requestCallId(turn: number, n: number): string {
  return `call_${turn}_${n}`;
}

/** A fresh tool-call id for a call the upstream sent without one. */
export function newCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

/** A response id for an answer that came without `responseId`. */
export function newResponseId(): string {
  return randomBytes(12).toString('base64url');
}
