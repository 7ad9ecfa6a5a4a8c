// `npm run bench`: the gateway against the simulator called directly, in one
// run, reported as ratios. Cases are in ./cases.ts; later issues add to them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES, BENCH_TOKEN } from './cases.js';
import { runLoad, type LoadResult } from './load.js';
import { measureInFlightMemory, type InFlightMemory } from './in-flight-memory.js';
import { startProcess } from './processes.js';

const root = process.cwd();
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const only = process.env.BENCH_ONLY;

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ws-bench-'));
  const sim = await startProcess(root, ['simulate', '--port', '0'], {}, /listening on (http:\/\/[\d.:]+)/);
  writeFileSync(
    join(dir, 'waystation.yaml'),
    `channels:
  - name: sim
    type: simulator
    base_url: ${sim.url}
    keys: [bench-key]
    models: [gpt-4o-mini, gemini-2.5-flash, claude-sonnet-4-5, gemini-2.5-flash-image, gemini-3-pro-image-preview, gemini-3.1-flash-image-preview]
tokens:
  - name: bench
    key: ${BENCH_TOKEN}
    unlimited: true
`,
  );
  const startGateway = () =>
    startProcess(
      root,
      ['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dir, '--config', join(dir, 'waystation.yaml'), '--log-level', 'error'],
      { ADMIN_KEY: 'sk-admin-bench', WAYSTATION_SECRET: 'bench-secret' },
      /listening on (http:\/\/[\d.:]+)/,
    );
  const gw = await startGateway();
  const idleRss = gw.rss().now;
  console.log(`Waystation bench: ${connections} connections × ${seconds}s per measurement; node ${process.version}\n`);
  const rows: string[][] = [];
  const memory: Array<{ case: string } & InFlightMemory> = [];
  try {
    for (const c of CASES.filter((x) => !only || x.name.includes(only))) {
      await runLoad(sim.url, c.direct, 4, 500); // warm up both paths
      await runLoad(gw.url, c.gateway, 4, 500);
      const many = c.connections ?? connections;
      const direct32 = await runLoad(sim.url, c.direct, many, seconds * 1000);
      const gw32 = await runLoad(gw.url, c.gateway, many, seconds * 1000);
      const direct1 = await runLoad(sim.url, c.direct, 1, seconds * 1000);
      const gw1 = await runLoad(gw.url, c.gateway, 1, seconds * 1000);
      report(c.name, many, direct32, gw32, direct1, gw1);
      if (c.inFlightMemory) {
        // A fresh gateway: memory kept from earlier runs would hide the growth.
        const m = await measureInFlightMemory(startGateway, c.gateway, c.inFlightMemory.connections, seconds * 1000);
        memory.push({ case: c.name, ...m });
        console.log(
          `  memory @${m.connections} in flight: answer ${fmt(m.answerBytes / 1048576, 1)} MiB, peak RSS +${fmt(m.growthMiB, 1)} MiB ` +
            `→ ${fmt(m.perRequestRatio, 3)}× the answer per in-flight request`,
        );
      }
      rows.push([
        c.name,
        fmt(gw32.rps / direct32.rps, 3) + (many !== connections ? ` (@${many})` : ''),
        fmt(gw1.p50 - direct1.p50, 3),
        fmt(gw1.p99 - direct1.p99, 3),
        fmt(gw1.ttfbP50 !== undefined ? gw1.ttfbP50 - direct1.ttfbP50! : undefined, 3),
      ]);
    }
    const rss = gw.rss();
    console.log('\nSummary (gateway ÷ direct, and what the gateway adds):');
    console.table(rows.map(([name, ratio, p50, p99, ttfb]) => ({ case: name, [`rps ratio @${connections}`]: ratio, 'added p50 ms @1': p50, 'added p99 ms @1': p99, 'added TTFB ms @1': ttfb })));
    if (memory.length > 0) {
      console.log('\nGateway memory per in-flight request (peak RSS growth ÷ requests in flight ÷ answer size):');
      console.table(memory.map((m) => ({ case: m.case, 'in flight': m.connections, 'answer MiB': fmt(m.answerBytes / 1048576, 1), 'peak RSS growth MiB': fmt(m.growthMiB, 1), '× answer per request': fmt(m.perRequestRatio, 3) })));
    }
    console.log(`Gateway RSS: idle ${fmt(idleRss, 1)} MiB, now ${fmt(rss.now, 1)} MiB, peak ${fmt(rss.peak, 1)} MiB`);
  } finally {
    await gw.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(name: string, many: number, d32: LoadResult, g32: LoadResult, d1: LoadResult, g1: LoadResult) {
  console.log(
    `${name}\n` +
      `  @${many}: direct ${fmt(d32.rps, 0)} rps, gateway ${fmt(g32.rps, 0)} rps → ratio ${fmt(g32.rps / d32.rps, 3)}` +
      `${d32.errors + g32.errors ? ` (errors: direct ${d32.errors}, gateway ${g32.errors})` : ''}\n` +
      `  @1: p50 direct ${fmt(d1.p50, 3)} ms, gateway ${fmt(g1.p50, 3)} ms (+${fmt(g1.p50 - d1.p50, 3)}); ` +
      `p99 direct ${fmt(d1.p99, 3)} ms, gateway ${fmt(g1.p99, 3)} ms (+${fmt(g1.p99 - d1.p99, 3)})` +
      (g1.ttfbP50 !== undefined ? `; first chunk p50 +${fmt(g1.ttfbP50 - d1.ttfbP50!, 3)} ms` : ''),
  );
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
