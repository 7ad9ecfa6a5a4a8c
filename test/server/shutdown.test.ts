import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { TOKEN_KEY, simulatorConfig, startTestGateway, startTestSimulator, type TestSimulator } from '../helpers/gateway.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim?.close();
});

function chat(url: string, fault: string, stream: boolean) {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}`, 'x-sim-fault': fault },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'tell me a story' }] }),
  });
}

async function waitForUpstreamRequest(count: number) {
  for (let i = 0; i < 200 && (await sim.requests()).length < count; i++) await new Promise((r) => setTimeout(r, 10));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function usageRowCount(dataDir: string): Promise<number> {
  const db = await openDatabase(`sqlite:${join(dataDir, 'waystation.db')}`);
  try {
    const row = await db.db.selectFrom('usage_logs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await db.close();
  }
}

describe('graceful shutdown', () => {
  it('stops accepting, lets in-flight requests and streams finish, flushes usage rows', async () => {
    const gw = await startTestGateway(simulatorConfig(sim.url));
    await sim.clear();
    const plain = chat(gw.url, 'latency:600', false);
    const streamed = chat(gw.url, 'latency:600', true);
    await waitForUpstreamRequest(2);

    const stopped = gw.gw.stop();
    // The listener closes at once: a new connection is refused.
    await new Promise((r) => setTimeout(r, 50));
    expect(await canConnect(gw.gw.port)).toBe(false);

    const plainRes = await plain;
    expect(plainRes.status).toBe(200);
    expect(((await plainRes.json()) as any).choices[0].message.content).toBeTruthy();
    const streamRes = await streamed;
    expect(streamRes.status).toBe(200);
    const text = await streamRes.text();
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);

    await stopped;
    expect(await usageRowCount(gw.dataDir)).toBe(2);
  });

  it('cuts what is still running after the grace period, so stop never hangs', async () => {
    const gw = await startTestGateway(simulatorConfig(sim.url), { shutdownGraceMs: 200 });
    await sim.clear();
    const stalled = chat(gw.url, 'stall:20000', false).then(
      (r) => r.text().then(() => 'completed'),
      () => 'cut',
    );
    await waitForUpstreamRequest(1);
    await gw.gw.stop();
    expect(await stalled).toBe('cut');
    // Even a request cut by the stop leaves its usage row.
    expect(await usageRowCount(gw.dataDir)).toBe(1);
  });
});
