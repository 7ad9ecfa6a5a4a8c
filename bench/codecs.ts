// Codec micro-benchmark (`npm run bench`, or BENCH_ONLY=codec): for every hub
// codec, the time per operation on its golden fixtures (test/codecs/<codec>/
// fixtures): decodeRequest, encodeRequest into each other format, decodeResponse
// + encodeResponse into the client format, and a stream decoded and re-encoded.
// Pure CPU, one process, no network: it shows where conversion time goes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

type Json = Record<string, unknown>;
interface Codec {
  decodeRequest(json: Json, opts: { operation: string; pathModel?: string }): Json & { model: string };
  encodeRequest(req: unknown, opts: { model: string; provider: string }): unknown;
  decodeResponse(json: Json): unknown;
  encodeResponse(res: unknown, opts: { model: string; sse?: boolean }): unknown;
  streamDecoder(): { push(b: Buffer): unknown[]; end(): unknown[] };
  streamEncoder(opts: { model: string; sse?: boolean }): { push(e: unknown): string; end(): string };
}

const root = process.cwd();
const FOLDERS: Record<string, { folder: string; operation: string; provider: string }> = {
  'openai-chat': { folder: 'openai-chat', operation: '/chat/completions', provider: 'openai' },
  'openai-responses': { folder: 'openai-responses', operation: '/responses', provider: 'openai' },
  'anthropic-messages': { folder: 'anthropic', operation: '/messages', provider: 'anthropic' },
  gemini: { folder: 'gemini', operation: 'generateContent', provider: 'gemini' },
};

/** Median µs per call over rounds of at least ~50 ms each. */
function time(fn: () => void): number {
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    const ms = performance.now() - t;
    if (ms > 50) break;
    n *= 2;
  }
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    rounds.push(((performance.now() - t) * 1000) / n);
  }
  rounds.sort((a, b) => a - b);
  return rounds[2]!;
}

function fixtures(folder: string, prefix: string, ext: string): Array<{ name: string; bytes: Buffer }> {
  const dir = join(root, 'test', 'codecs', folder, 'fixtures');
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith(ext))
    .map((f) => ({ name: f, bytes: readFileSync(join(dir, f)) }));
}

function fmt(us: number): string {
  return us >= 100 ? us.toFixed(0) : us.toFixed(1);
}

async function main(): Promise<void> {
  const { CODECS } = (await import(new URL('../dist/dialects/codecs.js', import.meta.url).href)) as { CODECS: Record<string, Codec> };
  console.log('\ncodec micro-benchmark: median µs per operation on the golden fixtures (lower is better)\n');
  for (const [name, info] of Object.entries(FOLDERS)) {
    const codec = CODECS[name]!;
    const lines: string[] = [];
    for (const f of fixtures(info.folder, 'request-', '.json')) {
      const json = JSON.parse(f.bytes.toString('utf8')) as Json;
      let req: (Json & { model: string }) | undefined;
      try {
        req = codec.decodeRequest(json, { operation: info.operation, pathModel: 'gemini-2.5-flash' });
      } catch {
        continue; // fixtures of refusals
      }
      const decode = time(() => codec.decodeRequest(json, { operation: info.operation, pathModel: 'gemini-2.5-flash' }));
      const encodes = Object.entries(CODECS)
        .filter(([other]) => other !== name)
        .map(([other, c]) => {
          try {
            c.encodeRequest(req, { model: req!.model, provider: FOLDERS[other]!.provider });
            return `${other} ${fmt(time(() => c.encodeRequest(req, { model: req!.model, provider: FOLDERS[other]!.provider })))}`;
          } catch {
            return `${other} refused`;
          }
        });
      lines.push(`  ${f.name.padEnd(32)} decode ${fmt(decode).padStart(6)}   encode → ${encodes.join(', ')}`);
    }
    for (const f of fixtures(info.folder, 'response-', '.json')) {
      const json = JSON.parse(f.bytes.toString('utf8')) as Json;
      try {
        const res = codec.decodeResponse(json);
        const us = time(() => CODECS['openai-chat']!.encodeResponse(codec.decodeResponse(json), { model: 'm' }));
        void res;
        lines.push(`  ${f.name.padEnd(32)} decode + encode as openai-chat ${fmt(us).padStart(6)}`);
      } catch {
        continue; // error answers
      }
    }
    for (const f of fixtures(info.folder, 'stream-', '.txt')) {
      const run = () => {
        const dec = codec.streamDecoder();
        const enc = CODECS['openai-chat']!.streamEncoder({ model: 'm' });
        for (let at = 0; at < f.bytes.length; at += 512) for (const e of dec.push(f.bytes.subarray(at, at + 512))) enc.push(e);
        for (const e of dec.end()) enc.push(e);
        enc.end();
      };
      lines.push(`  ${f.name.padEnd(32)} stream → openai-chat ${fmt(time(run)).padStart(6)} (${f.bytes.length} bytes)`);
    }
    console.log(`${name}\n${lines.join('\n')}\n`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
