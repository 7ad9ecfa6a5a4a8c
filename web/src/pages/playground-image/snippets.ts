// "Copy as code" for the image playground: the exact request the page sends,
// as a curl command, a Python `requests` script and a Node (fetch) module.
// Pure functions. Reference images are read from files (ref1.png, …) at run
// time instead of inlining megabytes of base64; the key comes from the
// WAYSTATION_KEY environment variable unless the user asks to include it.
import { imageRequestBody, imageRequestPath, type ImageRequestInput } from './gemini-request';

export const KEY_ENV = 'WAYSTATION_KEY';

export interface SnippetInput {
  /** The gateway's origin, e.g. https://gateway.example.com. */
  baseUrl: string;
  request: Omit<ImageRequestInput, 'references'> & { references: ReadonlyArray<{ mimeType: string; name?: string }> };
  /** Written into the snippet only when includeKey is set. */
  key?: string;
  includeKey?: boolean;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

/** The file a snippet reads reference image `index` (0-based) from. */
export function referenceFileName(index: number, mimeType: string): string {
  return `ref${index + 1}.${EXTENSIONS[mimeType] ?? 'bin'}`;
}

export function endpointUrl(baseUrl: string, model: string): string {
  return baseUrl.replace(/\/+$/, '') + imageRequestPath(model);
}

/** A shell word in single quotes (safe for any text). */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Characters of a one-line comment: no line breaks or control characters. */
const commentSafe = (s: string) => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');

/**
 * The body as indented JSON, with each reference's data left as a unique
 * quoted marker for the caller to replace with code that reads the file.
 */
function bodyWithMarkers(input: SnippetInput): { json: string; marker: (i: number) => string } {
  let stem = 'WAYSTATION_REF_';
  while (input.request.prompt.includes(stem)) stem = `_${stem}`;
  const marker = (i: number) => `${stem}${i}_`;
  const json = JSON.stringify(imageRequestBody(input.request, marker), null, 2);
  return { json, marker: (i) => JSON.stringify(marker(i)) };
}

function withReferences(json: string, input: SnippetInput, marker: (i: number) => string, code: (file: string) => string): string {
  let out = json;
  input.request.references.forEach((r, i) => {
    out = out.replace(marker(i), () => code(referenceFileName(i, r.mimeType)));
  });
  return out;
}

function referenceComments(input: SnippetInput, prefix: string): string[] {
  const refs = input.request.references;
  if (refs.length === 0) return [];
  return [
    `${prefix} Reference images are read from these files (put them next to this script):`,
    ...refs.map((r, i) => `${prefix}   ${referenceFileName(i, r.mimeType)}${r.name ? `  (${commentSafe(r.name)})` : ''}`),
  ];
}

/** Text inside an unquoted heredoc: `\`, `$` and backquotes escaped, so only our `$(…)` run. */
const heredocSafe = (s: string) => s.replace(/[\\$`]/g, (c) => `\\${c}`);

export function curlSnippet(input: SnippetInput): string {
  const { json, marker } = bodyWithMarkers(input);
  const body = withReferences(heredocSafe(json), input, marker, (file) => `"$(base64 -w0 ${file})"`);
  const keyHeader = input.includeKey && input.key ? shellQuote(`x-goog-api-key: ${input.key}`) : `"x-goog-api-key: $${KEY_ENV}"`;
  const lines = [
    ...(input.includeKey && input.key ? [] : [`# export ${KEY_ENV}=sk-...   # your token key`]),
    ...referenceComments(input, '#'),
    ...(input.request.references.length > 0 ? ['# (macOS: "base64 -i FILE" instead of "base64 -w0 FILE")'] : []),
    '# The image comes back as base64 in candidates[0].content.parts[].inlineData.data',
    `curl -sS ${shellQuote(endpointUrl(input.baseUrl, input.request.model))} \\`,
    `  -H ${keyHeader} \\`,
    `  -H 'Content-Type: application/json' \\`,
    '  -d @- <<JSON',
    body,
    'JSON',
  ];
  return `${lines.join('\n')}\n`;
}

export function pythonSnippet(input: SnippetInput): string {
  const { json, marker } = bodyWithMarkers(input);
  const refs = input.request.references.length > 0;
  const body = withReferences(json, input, marker, (file) => `b64(${JSON.stringify(file)})`);
  const key = input.includeKey && input.key ? JSON.stringify(input.key) : `os.environ[${JSON.stringify(KEY_ENV)}]`;
  const lines = [
    ...referenceComments(input, '#'),
    'import base64',
    'import os',
    '',
    'import requests',
    '',
    `URL = ${JSON.stringify(endpointUrl(input.baseUrl, input.request.model))}`,
    `KEY = ${key}`,
    '',
    ...(refs
      ? ['', 'def b64(path):', '    with open(path, "rb") as f:', '        return base64.b64encode(f.read()).decode("ascii")', '', '']
      : []),
    `body = ${body}`,
    '',
    'resp = requests.post(URL, headers={"x-goog-api-key": KEY}, json=body, timeout=600)',
    'resp.raise_for_status()',
    'for i, part in enumerate(resp.json()["candidates"][0]["content"]["parts"]):',
    '    if part.get("thought"):',
    '        continue',
    '    if "inlineData" in part:',
    '        ext = part["inlineData"]["mimeType"].split("/")[-1]',
    '        with open(f"image{i}.{ext}", "wb") as f:',
    '            f.write(base64.b64decode(part["inlineData"]["data"]))',
    '        print(f"saved image{i}.{ext}")',
    '    elif "text" in part:',
    '        print(part["text"])',
  ];
  return `${lines.join('\n')}\n`;
}

export function nodeSnippet(input: SnippetInput): string {
  const { json, marker } = bodyWithMarkers(input);
  const refs = input.request.references.length > 0;
  const body = withReferences(json, input, marker, (file) => `b64(${JSON.stringify(file)})`);
  const key = input.includeKey && input.key ? JSON.stringify(input.key) : `process.env.${KEY_ENV}`;
  const lines = [
    '// Node 18+ (built-in fetch). Save as generate.mjs, run: node generate.mjs',
    ...referenceComments(input, '//'),
    `import { ${refs ? 'readFileSync, ' : ''}writeFileSync } from 'node:fs';`,
    '',
    `const url = ${JSON.stringify(endpointUrl(input.baseUrl, input.request.model))};`,
    `const key = ${key};`,
    ...(refs ? ["const b64 = (path) => readFileSync(path).toString('base64');"] : []),
    '',
    `const body = ${body};`,
    '',
    'const res = await fetch(url, {',
    "  method: 'POST',",
    "  headers: { 'content-type': 'application/json', 'x-goog-api-key': key },",
    '  body: JSON.stringify(body),',
    '});',
    'if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`);',
    'const answer = await res.json();',
    '(answer.candidates?.[0]?.content?.parts ?? []).forEach((part, i) => {',
    '  if (part.thought) return;',
    '  if (part.inlineData) {',
    "    const ext = part.inlineData.mimeType.split('/')[1];",
    '    writeFileSync(`image${i}.${ext}`, Buffer.from(part.inlineData.data, \'base64\'));',
    '    console.log(`saved image${i}.${ext}`);',
    '  } else if (part.text) {',
    '    console.log(part.text);',
    '  }',
    '});',
  ];
  return `${lines.join('\n')}\n`;
}

export type SnippetLanguage = 'curl' | 'python' | 'node';

export function snippet(language: SnippetLanguage, input: SnippetInput): string {
  if (language === 'curl') return curlSnippet(input);
  if (language === 'python') return pythonSnippet(input);
  return nodeSnippet(input);
}
