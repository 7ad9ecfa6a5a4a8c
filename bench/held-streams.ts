// Memory per held stream: a fresh gateway, N streaming requests open at once
// (the simulator's `drip` fault spaces their events, so each stays open for
// seconds), RSS growth while all N are open ÷ N. What a gateway holding
// thousands of slow model streams pays per stream.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { LoadCase } from './load.js';
import { runLoad } from './load.js';
import type { Proc } from './processes.js';

export interface HeldStreams {
  streams: number;
  /** Streams whose first chunk arrived in time. */
  opened: number;
  /** Streams that failed or never started. */
  errors: number;
  /** Seconds until every stream had its first chunk. */
  openSeconds: number;
  rssBeforeMiB: number;
  /** Highest RSS sampled while the streams were open. */
  rssHeldMiB: number;
  /** Streams open when that RSS was read. */
  heldAtPeak: number;
  perStreamKiB: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WAVE = 50;
const WAVE_GAP_MS = 100;

export async function measureHeldStreams(
  startGateway: () => Promise<Proc>,
  c: LoadCase,
  streams: number,
  dripMs: number,
): Promise<HeldStreams> {
  const gw = await startGateway();
  const pool = new Pool(gw.url, { connections: streams, pipelining: 1 });
  try {
    await runLoad(gw.url, c, 4, 500); // warm the code paths (no drip: short streams)
    await sleep(500);
    const rssBeforeMiB = gw.rss().now;
    const headers = { ...c.headers, 'x-sim-fault': `drip:${dripMs}` };
    let opened = 0;
    let live = 0;
    let allOpen: () => void = () => {};
    const everyOneOpen = new Promise<void>((resolve) => (allOpen = resolve));
    const started = performance.now();
    const settled = Promise.all(
      Array.from({ length: streams }, async (_, i) => {
        // Waves, as a fleet of clients would arrive (the gateway's listen
        // backlog, 4096, would also take all 2,000 at once).
        await sleep(Math.floor(i / WAVE) * WAVE_GAP_MS);
        try {
          const res = await pool.request({ path: c.path, method: c.method ?? 'POST', headers, body: c.body });
          let first = res.statusCode < 400; // an error answer is not a held stream
          try {
            for await (const _chunk of res.body) {
              if (first) {
                live++;
                if (++opened === streams) allOpen();
              }
              first = false;
            }
          } finally {
            if (!first) live--;
          }
        } catch {
          // the pool is destroyed once the streams are measured
        }
      }),
    ).then(() => allOpen());
    await Promise.race([everyOneOpen, sleep(dripMs * 20)]);
    const openSeconds = (performance.now() - started) / 1000;
    // Streams stay open for ~20 drip intervals: sample across a few of them.
    let rssHeldMiB = gw.rss().now;
    let held = live;
    for (let i = 0; i < 10; i++) {
      await sleep(Math.min(100, dripMs / 4));
      const now = gw.rss().now;
      if (now > rssHeldMiB) [rssHeldMiB, held] = [now, live];
    }
    const openedInTime = opened;
    await pool.destroy(); // every client leaves: the gateway must let go of all of them
    await settled;
    return {
      streams,
      opened: openedInTime,
      errors: streams - openedInTime,
      openSeconds,
      rssBeforeMiB,
      rssHeldMiB,
      heldAtPeak: held,
      perStreamKiB: ((rssHeldMiB - rssBeforeMiB) * 1024) / Math.max(1, held),
    };
  } finally {
    await pool.destroy().catch(() => {});
    await gw.stop();
  }
}
