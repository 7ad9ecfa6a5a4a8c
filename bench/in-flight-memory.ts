// Memory the gateway holds per in-flight request of a large answer: peak RSS
// growth of a fresh gateway while N clients pull the same image through it,
// divided by N and by the answer's size. 1.0 would mean the gateway held one
// whole copy of every answer in flight; a streaming relay stays well below.
import { Pool } from 'undici';
import type { LoadCase } from './load.js';
import { runLoad } from './load.js';
import { resetPeakRss, type Proc } from './processes.js';

export interface InFlightMemory {
  connections: number;
  /** Bytes of one answer. */
  answerBytes: number;
  /** Peak RSS minus RSS before the run, MiB. */
  growthMiB: number;
  /** growth ÷ connections ÷ answer size. */
  perRequestRatio: number;
  rps: number;
}

async function answerSize(origin: string, c: LoadCase): Promise<number> {
  const pool = new Pool(origin, { connections: 1 });
  try {
    const res = await pool.request({ path: c.path, method: c.method ?? 'POST', headers: c.headers, body: c.body });
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    return bytes;
  } finally {
    await pool.close();
  }
}

export async function measureInFlightMemory(
  startGateway: () => Promise<Proc>,
  c: LoadCase,
  connections: number,
  durationMs: number,
): Promise<InFlightMemory> {
  const gw = await startGateway();
  try {
    // One request warms the code paths and the upstream pool.
    const answerBytes = await answerSize(gw.url, c);
    await new Promise((r) => setTimeout(r, 500));
    const before = gw.rss().now;
    resetPeakRss(gw.child.pid!);
    // Sample as well, in case the kernel does not let us reset the peak.
    let sampled = before;
    const timer = setInterval(() => (sampled = Math.max(sampled, gw.rss().now)), 5);
    const load = await runLoad(gw.url, c, connections, durationMs);
    clearInterval(timer);
    // A fresh process: its peak before the reset (start-up) is below the load's.
    const growthMiB = Math.max(0, Math.max(gw.rss().peak, sampled) - before);
    return {
      connections,
      answerBytes,
      growthMiB,
      perRequestRatio: (growthMiB * 1024 * 1024) / connections / answerBytes,
      rps: load.rps,
    };
  } finally {
    await gw.stop();
  }
}
