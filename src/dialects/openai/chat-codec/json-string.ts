// A string as a JSON literal without JSON.stringify's per-character escaping
// pass when nothing needs escaping: base64 image payloads (megabytes) are
// checked by one regex scan, several times faster, then quoted as they are.

/** Characters JSON.stringify would escape: quote, backslash, controls, and (lone) surrogates. */
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Below this length JSON.stringify is as fast as the check. */
const shortString = 4096;

export function jsonString(s: string): string {
  if (s.length < shortString || needsEscaping.test(s)) return JSON.stringify(s);
  return `"${s}"`;
}
