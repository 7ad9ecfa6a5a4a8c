// `npm run bench`: the gateway against the simulator called directly, in one
// run, reported as ratios. Cases are in ./cases.ts; later issues add to them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES, HELD_STREAMS, type BenchCase } from './cases.js';
import { measureHeldStreams, type HeldStreams } from './held-streams.js';
import { runLoad, type LoadResult } from './load.js';
import { measureInFlightMemory, type InFlightMemory } from './in-flight-memory.js';
import { cpuMicros, startScript, treeCpuMicros, type Proc } from './processes.js';
import { BENCH_WORKERS, startBenchGateway, startSimulatorProcess, writeBenchConfig } from './setup.js';

const root = process.cwd();
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const only = process.env.BENCH_ONLY;
/**
 * Load before each measurement, at the measured concurrency: a fresh gateway
 * costs ~4× its steady-state CPU per request in its first second of load
 * (V8 has not optimised the hot path yet), which a short warm-up left in the
 * first case's figures.
 */
const warmupMs = Number(process.env.BENCH_WARMUP_SECONDS ?? 2) * 1000;

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
}

/** A load run with the CPU (µs per request) each process spent on it. */
interface Measured extends LoadResult {
  cpu: { loadGenerator: number; simulator: number; gateway?: number };
}

/** One load run, with the CPU of the load generator, the simulator and the gateway (with its workers, if any). */
async function measure(origin: string, c: BenchCase['direct'], many: number, sim: Proc, gw: Proc | undefined): Promise<Measured> {
  const before = { self: process.cpuUsage(), sim: cpuMicros(sim.child.pid!), gw: gw ? treeCpuMicros(gw.child.pid!) : 0 };
  const result = await runLoad(origin, c, many, seconds * 1000);
  const self = process.cpuUsage(before.self);
  const per = (us: number) => us / Math.max(1, result.requests + result.errors);
  return {
    ...result,
    cpu: {
      loadGenerator: per(self.user + self.system),
      simulator: per(cpuMicros(sim.child.pid!) - before.sim),
      gateway: gw ? per(treeCpuMicros(gw.child.pid!) - before.gw) : undefined,
    },
  };
}

interface Row {
  name: string;
  targets: BenchCase['targets'];
  many: number;
  ratio: number;
  /** The same through a gateway of BENCH_WORKERS worker processes. */
  workersRatio: number;
  /** The same through the bare proxy, where the case asks for it. */
  floorRatio: number | undefined;
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
  // A second gateway as deployed on a multi-core machine (`--workers auto`), for the throughput figures only.
  const workersDir = mkdtempSync(join(tmpdir(), 'ws-bench-workers-'));
  writeBenchConfig(workersDir, sim.url);
  const gwWorkers = await startBenchGateway(root, workersDir, [], BENCH_WORKERS);
  const bare = await startScript(join(root, '.bench', 'bare-proxy.js'), [sim.url, 'Bearer sim-key'], {}, /listening on (http:\/\/[\d.:]+)/);
  console.log(
    `Waystation bench: ${connections} connections × ${seconds}s per measurement, each after ${warmupMs / 1000}s of warm-up; node ${process.version}\n` +
      `Throughput through one gateway process (the default) and through --workers ${BENCH_WORKERS}; latency through one process.\n`,
  );
  const rows: Row[] = [];
  const memory: Array<{ case: string } & InFlightMemory> = [];
  let held: HeldStreams | undefined;
  try {
    for (const c of CASES.filter((x) => !only || x.name.includes(only))) {
      const many = c.connections ?? connections;
      await runLoad(sim.url, c.direct, many, warmupMs);
      await runLoad(gw.url, c.gateway, many, warmupMs);
      await runLoad(gwWorkers.url, c.gateway, many, warmupMs);
      const direct32 = await measure(sim.url, c.direct, many, sim, undefined);
      const gw32 = await measure(gw.url, c.gateway, many, sim, gw);
      const workers32 = await measure(gwWorkers.url, c.gateway, many, sim, gwWorkers);
      let floor32: Measured | undefined;
      if (c.floor) {
        await runLoad(bare.url, c.gateway, many, warmupMs);
        floor32 = await measure(bare.url, c.gateway, many, sim, bare);
      }
      const direct1 = await runLoad(sim.url, c.direct, 1, seconds * 1000);
      const gw1 = await runLoad(gw.url, c.gateway, 1, seconds * 1000);
      report(c.name, many, direct32, gw32, workers32, direct1, gw1);
      if (floor32) {
        console.log(
          `  bare proxy (Node's floor: node:http → undici, nothing else) @${many}: ${fmt(floor32.rps, 0)} rps → ratio ${fmt(floor32.rps / direct32.rps, 3)}; ` +
            `CPU µs/request: proxy ${fmt(floor32.cpu.gateway, 0)} + simulator ${fmt(floor32.cpu.simulator, 0)} + load generator ${fmt(floor32.cpu.loadGenerator, 0)}`,
        );
      }
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
        workersRatio: workers32.rps / direct32.rps,
        floorRatio: floor32 && floor32.rps / direct32.rps,
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
        [`… ${BENCH_WORKERS} workers`]: fmt(r.workersRatio, 3),
        '… bare proxy': fmt(r.floorRatio, 3),
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
    await gwWorkers.stop();
    await bare.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(workersDir, { recursive: true, force: true });
  }
}

function report(name: string, many: number, d32: Measured, g32: Measured, w32: Measured, d1: LoadResult, g1: LoadResult) {
  const errors = d32.errors + g32.errors + w32.errors;
  const cpu = (m: Measured) => `gateway ${fmt(m.cpu.gateway, 0)} + simulator ${fmt(m.cpu.simulator, 0)} + load generator ${fmt(m.cpu.loadGenerator, 0)}`;
  console.log(
    `${name}\n` +
      `  @${many}: direct ${fmt(d32.rps, 0)} rps, gateway ${fmt(g32.rps, 0)} rps → ratio ${fmt(g32.rps / d32.rps, 3)}; ` +
      `${BENCH_WORKERS} workers ${fmt(w32.rps, 0)} rps → ratio ${fmt(w32.rps / d32.rps, 3)}` +
      `${errors ? ` (errors: direct ${d32.errors}, gateway ${g32.errors}, workers ${w32.errors})` : ''}\n` +
      `  CPU µs/request @${many}: direct = simulator ${fmt(d32.cpu.simulator, 0)} + load generator ${fmt(d32.cpu.loadGenerator, 0)}; ` +
      `through the gateway = ${cpu(g32)}; through ${BENCH_WORKERS} workers = ${cpu(w32)}\n` +
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
    if (r.targets.rpsRatio !== undefined) {
      add(r.name, `rps ratio @${r.many}`, r.ratio, r.targets.rpsRatio, true, 3);
      add(r.name, `rps ratio @${r.many}, ${BENCH_WORKERS} workers`, r.workersRatio, r.targets.rpsRatio, true, 3);
    }
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
