// `npm run bench`: the gateway against the simulator called directly, in one
// run, reported as ratios. Cases are in ./cases.ts; later issues add to them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES, HELD_STREAMS, type BenchCase } from './cases.js';
import { measureHeldStreams, type HeldStreams } from './held-streams.js';
import { runLoad, type LoadResult } from './load.js';
import { measureInFlightMemory, type InFlightMemory } from './in-flight-memory.js';
import { cpuMicros, type Proc } from './processes.js';
import { startBenchGateway, startSimulatorProcess, writeBenchConfig } from './setup.js';

const root = process.cwd();
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const only = process.env.BENCH_ONLY;

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
}

/** A load run with the CPU (µs per request) each process spent on it. */
interface Measured extends LoadResult {
  cpu: { loadGenerator: number; simulator: number; gateway?: number };
}

async function measure(origin: string, c: BenchCase['direct'], many: number, sim: Proc, gw: Proc | undefined): Promise<Measured> {
  const before = { self: process.cpuUsage(), sim: cpuMicros(sim.child.pid!), gw: gw ? cpuMicros(gw.child.pid!) : 0 };
  const result = await runLoad(origin, c, many, seconds * 1000);
  const self = process.cpuUsage(before.self);
  const per = (us: number) => us / Math.max(1, result.requests + result.errors);
  return {
    ...result,
    cpu: {
      loadGenerator: per(self.user + self.system),
      simulator: per(cpuMicros(sim.child.pid!) - before.sim),
      gateway: gw ? per(cpuMicros(gw.child.pid!) - before.gw) : undefined,
    },
  };
}

interface Row {
  name: string;
  targets: BenchCase['targets'];
  many: number;
  ratio: number;
  addedP50: number;
  addedP99: number;
  addedTtfb: number | undefined;
  gatewayCpu: number | undefined;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ws-bench-'));
  const sim = await startSimulatorProcess(root);
  writeBenchConfig(dir, sim.url);
  const startGateway = () => startBenchGateway(root, dir);
  const gw = await startGateway();
  const idleRss = gw.rss().now;
  console.log(`Waystation bench: ${connections} connections × ${seconds}s per measurement; node ${process.version}\n`);
  const rows: Row[] = [];
  const memory: Array<{ case: string } & InFlightMemory> = [];
  let held: HeldStreams | undefined;
  try {
    for (const c of CASES.filter((x) => !only || x.name.includes(only))) {
      await runLoad(sim.url, c.direct, 4, 500); // warm up both paths
      await runLoad(gw.url, c.gateway, 4, 500);
      const many = c.connections ?? connections;
      const direct32 = await measure(sim.url, c.direct, many, sim, undefined);
      const gw32 = await measure(gw.url, c.gateway, many, sim, gw);
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
      rows.push({
        name: c.name,
        targets: c.targets,
        many,
        ratio: gw32.rps / direct32.rps,
        addedP50: gw1.p50 - direct1.p50,
        addedP99: gw1.p99 - direct1.p99,
        addedTtfb: gw1.ttfbP50 !== undefined ? gw1.ttfbP50 - direct1.ttfbP50! : undefined,
        gatewayCpu: gw32.cpu.gateway,
      });
    }
    if (!only || HELD_STREAMS.name.includes(only)) {
      held = await measureHeldStreams(startGateway, HELD_STREAMS.gateway, HELD_STREAMS.streams, HELD_STREAMS.dripMs);
      console.log(
        `${HELD_STREAMS.name}\n  ${held.opened} of ${held.streams} open after ${fmt(held.openSeconds, 1)} s` +
          `${held.errors ? ` (${held.errors} failed or late)` : ''}; RSS ${fmt(held.rssBeforeMiB, 1)} → ${fmt(held.rssHeldMiB, 1)} MiB ` +
          `with ${held.heldAtPeak} open → ${fmt(held.perStreamKiB, 1)} KiB per stream`,
      );
    }
    const rss = gw.rss();
    if (rows.length > 0) console.log('\nSummary (gateway ÷ direct, and what the gateway adds):');
    if (rows.length > 0) console.table(
      rows.map((r) => ({
        case: r.name,
        [`rps ratio @${connections}`]: fmt(r.ratio, 3) + (r.many !== connections ? ` (@${r.many})` : ''),
        'added p50 ms @1': fmt(r.addedP50, 3),
        'added p99 ms @1': fmt(r.addedP99, 3),
        'added TTFB ms @1': fmt(r.addedTtfb, 3),
        'gateway CPU µs/req': fmt(r.gatewayCpu, 0),
      })),
    );
    if (memory.length > 0) {
      console.log('\nGateway memory per in-flight request (peak RSS growth ÷ requests in flight ÷ answer size):');
      console.table(memory.map((m) => ({ case: m.case, 'in flight': m.connections, 'answer MiB': fmt(m.answerBytes / 1048576, 1), 'peak RSS growth MiB': fmt(m.growthMiB, 1), '× answer per request': fmt(m.perRequestRatio, 3) })));
    }
    printTargets(rows, held);
    console.log(`Gateway RSS: idle ${fmt(idleRss, 1)} MiB, now ${fmt(rss.now, 1)} MiB, peak ${fmt(rss.peak, 1)} MiB`);
  } finally {
    await gw.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(name: string, many: number, d32: Measured, g32: Measured, d1: LoadResult, g1: LoadResult) {
  console.log(
    `${name}\n` +
      `  @${many}: direct ${fmt(d32.rps, 0)} rps, gateway ${fmt(g32.rps, 0)} rps → ratio ${fmt(g32.rps / d32.rps, 3)}` +
      `${d32.errors + g32.errors ? ` (errors: direct ${d32.errors}, gateway ${g32.errors})` : ''}\n` +
      `  CPU µs/request @${many}: direct = simulator ${fmt(d32.cpu.simulator, 0)} + load generator ${fmt(d32.cpu.loadGenerator, 0)}; ` +
      `through the gateway = gateway ${fmt(g32.cpu.gateway, 0)} + simulator ${fmt(g32.cpu.simulator, 0)} + load generator ${fmt(g32.cpu.loadGenerator, 0)}\n` +
      `  @1: p50 direct ${fmt(d1.p50, 3)} ms, gateway ${fmt(g1.p50, 3)} ms (+${fmt(g1.p50 - d1.p50, 3)}); ` +
      `p99 direct ${fmt(d1.p99, 3)} ms, gateway ${fmt(g1.p99, 3)} ms (+${fmt(g1.p99 - d1.p99, 3)})` +
      (g1.ttfbP50 !== undefined ? `; first chunk p50 +${fmt(g1.ttfbP50 - d1.ttfbP50!, 3)} ms` : ''),
  );
}

/** Every figure that has a target, met or not. */
function printTargets(rows: Row[], held: HeldStreams | undefined) {
  const lines: Array<{ case: string; figure: string; value: string; target: string; met: string }> = [];
  const add = (name: string, figure: string, value: number | undefined, target: number, atLeast: boolean, digits: number) => {
    if (value === undefined || Number.isNaN(value)) return;
    const met = atLeast ? value >= target : value <= target;
    lines.push({ case: name, figure, value: fmt(value, digits), target: `${atLeast ? '≥' : '≤'} ${target}`, met: met ? 'yes' : 'NO' });
  };
  for (const r of rows) {
    if (!r.targets) continue;
    if (r.targets.rpsRatio !== undefined) add(r.name, `rps ratio @${r.many}`, r.ratio, r.targets.rpsRatio, true, 3);
    if (r.targets.addedP50Ms !== undefined) add(r.name, 'added p50 ms @1', r.addedP50, r.targets.addedP50Ms, false, 3);
    if (r.targets.addedTtfbMs !== undefined) add(r.name, 'added TTFB ms @1', r.addedTtfb, r.targets.addedTtfbMs, false, 3);
  }
  if (held) add(HELD_STREAMS.name, `KiB RSS per stream (${held.opened}/${held.streams} open)`, held.errors ? NaN : held.perStreamKiB, HELD_STREAMS.targetKiBPerStream, false, 1);
  if (held?.errors) lines.push({ case: HELD_STREAMS.name, figure: 'streams open', value: `${held.opened}/${held.streams}`, target: `${held.streams}`, met: 'NO' });
  if (lines.length === 0) return;
  console.log('\nTargets:');
  console.table(lines);
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
