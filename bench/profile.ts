// `node .bench/profile.js [case fragment] [seconds] [connections]` (after
// `npm run bench` or both builds): one case through the gateway under load,
// with the gateway's CPU profile. Prints the CPU split between the three
// processes (µs per request) and the gateway's top self-time functions; the
// .cpuprofile file stays for Chrome DevTools.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES } from './cases.js';
import { runLoad } from './load.js';
import { cpuMicros } from './processes.js';
import { startBenchGateway, startSimulatorProcess, writeBenchConfig } from './setup.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const root = process.cwd();
const fragment = process.argv[2] ?? 'openai chat, text';
const seconds = Number(process.argv[3] ?? 5);
const connections = Number(process.argv[4] ?? 32);

/** V8 stamps profile samples with the monotonic clock in µs, as hrtime reads it: the load's window in that clock. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
const window = { from: 0, to: Infinity };

async function main() {
  const c = CASES.find((x) => x.name.includes(fragment));
  if (!c) throw new Error(`no case matches "${fragment}"`);
  const dir = mkdtempSync(join(tmpdir(), 'ws-profile-'));
  const profDir = join(dir, 'prof');
  const sim = await startSimulatorProcess(root);
  writeBenchConfig(dir, sim.url);
  const gw = await startBenchGateway(root, dir, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]).catch(async (err) => {
    await sim.stop();
    throw err;
  });
  try {
    await runLoad(sim.url, c.direct, 4, 500);
    await runLoad(gw.url, c.gateway, 4, 500);
    const d0 = { sim: cpuMicros(sim.child.pid!), self: process.cpuUsage() };
    const direct = await runLoad(sim.url, c.direct, connections, seconds * 1000);
    const dSelf = process.cpuUsage(d0.self);
    const perD = (us: number) => (us / direct.requests).toFixed(0);
    console.log(`direct @${connections}: ${direct.rps.toFixed(0)} rps, p50 ${direct.p50.toFixed(3)} ms`);
    console.log(`CPU µs per request: simulator ${perD(cpuMicros(sim.child.pid!) - d0.sim)}, load generator ${perD(dSelf.user + dSelf.system)}`);
    window.from = monotonicMicros();
    const before = { sim: cpuMicros(sim.child.pid!), gw: cpuMicros(gw.child.pid!), self: process.cpuUsage() };
    const load = await runLoad(gw.url, c.gateway, connections, seconds * 1000);
    const self = process.cpuUsage(before.self);
    window.to = monotonicMicros();
    const per = (us: number) => (us / load.requests).toFixed(0);
    console.log(`gateway, ${c.name} @${connections}: ${load.rps.toFixed(0)} rps, p50 ${load.p50.toFixed(3)} ms, errors ${load.errors}`);
    console.log(
      `CPU µs per request: gateway ${per(cpuMicros(gw.child.pid!) - before.gw)}, simulator ${per(cpuMicros(sim.child.pid!) - before.sim)}, ` +
        `load generator ${per(self.user + self.system)}`,
    );
  } finally {
    await gw.stop();
    await sim.stop();
  }
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (file) {
    const kept = join(tmpdir(), `waystation-${Date.now()}.cpuprofile`);
    const text = readFileSync(join(profDir, file), 'utf8');
    printTop(JSON.parse(text) as CpuProfile);
    writeFileSync(kept, text);
    console.log(`profile: ${kept}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Self time by function during the load (start-up left out), top 40. */
function printTop(p: CpuProfile) {
  const self = new Map<number, number>();
  let at = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    const delta = p.timeDeltas[i] ?? 0;
    at += delta;
    if (at < window.from || at > window.to) continue;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + delta);
  }
  const byFn = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const t = self.get(n.id) ?? 0;
    total += t;
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, '')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`;
    byFn.set(key, (byFn.get(key) ?? 0) + t);
  }
  const idle = [...byFn].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
  const busy = total - idle;
  const pct = (v: number) => `${((v / busy) * 100).toFixed(1).padStart(5)}%`;
  console.log(`\nTop self time (busy ${((busy / total) * 100).toFixed(0)}% of the load's profile):`);
  for (const [k, v] of [...byFn].filter(([k2]) => !k2.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(`${pct(v)}  ${k}`);
  }
  console.log('\nSelf time by package / folder:');
  const byPackage = new Map<string, number>();
  for (const [k, v] of byFn) {
    if (k.startsWith('(idle)')) continue;
    byPackage.set(packageOf(k), (byPackage.get(packageOf(k)) ?? 0) + v);
  }
  for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${pct(v)}  ${k}`);
}

/** "fn file:line" → the npm package, node's own module, or the gateway's folder. */
function packageOf(key: string): string {
  const where = key.slice(key.lastIndexOf(' ') + 1);
  if (!where.includes(':')) return key; // (garbage collector), native functions such as writev
  if (where.startsWith('node:')) return where.split(':').slice(0, 2).join(':').replace(/:\d+$/, '');
  const slash = where.indexOf('/');
  if (slash === -1) return where;
  return where.startsWith('@') ? where.split('/').slice(0, 2).join('/') : where.slice(0, slash);
}

main().catch((err) => {
  console.error(`profile failed: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
