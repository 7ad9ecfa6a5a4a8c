// The snippet builders: what each snippet says, and — where bash, curl,
// python3 + requests and node are at hand — that running it against the test
// gateway really generates the image asked for.
import { describe, expect, it } from 'vitest';
import { gatewayUrl, tokenKey } from '../../testing/render';
import { imageRequestBody } from './gemini-request';
import { pixelSizeOf } from './image-size';
import { curlSnippet, endpointUrl, nodeSnippet, pythonSnippet, shellQuote, type SnippetInput } from './snippets';
import { solidPng, toBase64 } from './test-png';

const SECRET = 'sk-very-secret-key-0123456789';

function input(over: Partial<SnippetInput['request']> = {}, extra: Partial<SnippetInput> = {}): SnippetInput {
  return {
    baseUrl: 'https://gw.example.com/',
    request: { model: 'gemini-3.1-flash-image-preview', prompt: 'a lighthouse at dusk', aspectRatio: '16:9', imageSize: '512', references: [], ...over },
    key: SECRET,
    ...extra,
  };
}

describe('snippet text', () => {
  const builders = { curl: curlSnippet, python: pythonSnippet, node: nodeSnippet };

  for (const [name, build] of Object.entries(builders)) {
    it(`${name}: names the endpoint, model, ratio and size, and reads the key from the environment`, () => {
      const code = build(input());
      expect(code).toContain('https://gw.example.com/v1beta/models/gemini-3.1-flash-image-preview:generateContent');
      expect(code).toContain('"aspectRatio": "16:9"');
      expect(code).toContain('"imageSize": "512"');
      expect(code).toContain('"responseModalities"');
      expect(code).toContain('WAYSTATION_KEY');
      expect(code).toContain('x-goog-api-key');
      expect(code).not.toContain(SECRET);
    });

    it(`${name}: holds the raw key only when asked`, () => {
      const code = build(input({}, { includeKey: true }));
      expect(code).toContain(SECRET);
      expect(code).not.toContain('WAYSTATION_KEY');
    });

    it(`${name}: reads reference images from files instead of inlining them`, () => {
      const code = build(input({ references: [{ mimeType: 'image/png', name: 'cat.png' }, { mimeType: 'image/jpeg', name: 'dog\nphoto.jpg' }] }));
      expect(code).toMatch(name === 'curl' ? /\$\(base64 -w0 ref1\.png\)/ : /b64\("ref1\.png"\)/);
      expect(code).toMatch(name === 'curl' ? /\$\(base64 -w0 ref2\.jpg\)/ : /b64\("ref2\.jpg"\)/);
      expect(code).toContain('"mime_type": "image/jpeg"');
      expect(code).toContain('(cat.png)');
      expect(code).toContain('(dog photo.jpg)'); // no line break smuggled into a comment
      expect(code).not.toContain('WAYSTATION_REF_');
    });
  }

  it('leaves out what the request leaves out (2.5 Flash Image has no size; auto ratio)', () => {
    const code = curlSnippet(input({ model: 'gemini-2.5-flash-image', aspectRatio: undefined, imageSize: undefined }));
    expect(code).not.toContain('imageSize');
    expect(code).not.toContain('aspectRatio');
    expect(code).toContain('"imageConfig": {}');
  });

  it('quotes for the shell', () => {
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(endpointUrl('http://h:1//', 'a b')).toBe('http://h:1/v1beta/models/a%20b:generateContent');
  });
});

// ---- Running the snippets (Node APIs loaded untyped: the web project compiles without @types/node).
const load = (m: string) => import(/* @vite-ignore */ m) as Promise<any>;
const [cp, fs, os, path] = await Promise.all(['node:child_process', 'node:fs', 'node:os', 'node:path'].map(load));
const has = (cmd: string, args: string[]) => cp.spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const proc = (globalThis as any).process;
const hasCurl = has('bash', ['-c', 'command -v curl && command -v base64']);
const hasPython = has('python3', ['-c', 'import requests']);

function workdir(refs: Array<{ file: string; bytes: Uint8Array }>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-snippet-'));
  for (const r of refs) fs.writeFileSync(path.join(dir, r.file), r.bytes);
  return dir;
}

function run(cmd: string, args: string[], dir: string, stdin?: string): string {
  const env = { ...proc.env, WAYSTATION_KEY: tokenKey(), NO_PROXY: '*', no_proxy: '*' };
  const out = cp.spawnSync(cmd, args, { cwd: dir, env, input: stdin, encoding: 'utf8', timeout: 60_000 });
  if (out.status !== 0) throw new Error(`${cmd} failed (${out.status}): ${out.stderr}`);
  return out.stdout as string;
}

/** Pixel sizes of the image files a snippet saved. */
function savedImages(dir: string): Array<{ width: number; height: number } | undefined> {
  const files = (fs.readdirSync(dir) as string[]).filter((f) => /^image\d+\.png$/.test(f)).sort();
  return files.map((f) => pixelSizeOf(fs.readFileSync(path.join(dir, f)).toString('base64')));
}

function finalImages(answer: any): Array<{ width: number; height: number } | undefined> {
  const parts = answer.candidates[0].content.parts as any[];
  return parts.filter((p) => p.inlineData && !p.thought).map((p) => pixelSizeOf(p.inlineData.data));
}

describe('running the snippets against the gateway', () => {
  // 32 × 18 is 16:9: with no aspectRatio the model follows the first reference's shape.
  const ref = solidPng(32, 18);
  const nasty = `He said "hi" $HOME \`whoami\` back\\slash 'single' 你好\nsecond line`;

  it.runIf(hasCurl)('curl sends exactly the request body, shell characters and reference file included', () => {
    const req = { model: 'gemini-3.1-flash-image-preview', prompt: nasty, imageSize: '512', references: [{ mimeType: 'image/png' }] };
    const dir = workdir([{ file: 'ref1.png', bytes: ref }]);
    const code = curlSnippet({ baseUrl: gatewayUrl(), request: req });
    // A curl that prints what it would post.
    const posted = JSON.parse(run('bash', ['-s'], dir, `curl() { cat; }\n${code}`));
    expect(posted).toEqual(imageRequestBody(req, () => toBase64(ref)));
  });

  it.runIf(hasCurl)('curl generates the image at the size asked for, following the reference', () => {
    const req = { model: 'gemini-3.1-flash-image-preview', prompt: 'a red kite', imageSize: '512', references: [{ mimeType: 'image/png' }] };
    const dir = workdir([{ file: 'ref1.png', bytes: ref }]);
    const answer = JSON.parse(run('bash', ['-s'], dir, curlSnippet({ baseUrl: gatewayUrl(), request: req })));
    expect(finalImages(answer)).toEqual([{ width: 688, height: 384 }]); // 16:9 at 512 on the Gemini 3 family
  });

  it.runIf(hasPython)('Python generates and saves the image (key written in)', () => {
    const req = { model: 'gemini-2.5-flash-image', prompt: nasty, references: [{ mimeType: 'image/png' }] };
    const dir = workdir([{ file: 'ref1.png', bytes: ref }]);
    fs.writeFileSync(path.join(dir, 'generate.py'), pythonSnippet({ baseUrl: gatewayUrl(), request: req, key: tokenKey(), includeKey: true }));
    const out = run('python3', ['generate.py'], dir);
    expect(out).toMatch(/saved image\d+\.png/);
    expect(savedImages(dir)).toEqual([{ width: 1344, height: 768 }]);
  });

  it('Node generates and saves the image', () => {
    const req = { model: 'gemini-3-pro-image-preview', prompt: nasty, aspectRatio: '21:9', imageSize: '2K', references: [] };
    const dir = workdir([]);
    fs.writeFileSync(path.join(dir, 'generate.mjs'), nodeSnippet({ baseUrl: gatewayUrl(), request: req }));
    const out = run(proc.execPath, ['generate.mjs'], dir);
    expect(out).toMatch(/saved image\d+\.png/);
    expect(savedImages(dir)).toEqual([{ width: 3168, height: 1344 }]);
  });
});
