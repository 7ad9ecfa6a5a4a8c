// Response ids that look like the providers' (chatcmpl-…, msg_…, req_…) and
// are unique within the process, without asking the OS for randomness per call.

import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const processTag = Array.from(randomBytes(10), (b) => ALPHABET[b % ALPHABET.length]).join('');
let counter = 0;

/** `prefix` + a process tag + a counter, e.g. `msg_sim3kF…000017`. */
export function newId(prefix: string): string {
  counter = (counter + 1) % 0x7fffffff;
  return `${prefix}${processTag}${counter.toString(36).padStart(6, '0')}`;
}
