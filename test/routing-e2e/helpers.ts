// A gateway with several OpenAI-type channels on one simulator; each channel's
// behaviour is set by its own header_override (x-sim-fault), so one channel
// can fail while another serves. Keys end in four distinct characters: the
// simulator's journal keeps only those, which tells which channel was called.
import OpenAI from 'openai';
import { startTestGateway, startTestSimulator, TEST_ADMIN_KEY, TOKEN_KEY, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

export interface RoutingRig {
  sim: TestSimulator;
  gw: TestGateway;
  client: OpenAI;
  /** Calls the simulator received since the last clear, by the key suffix they carried. */
  calledKeys(): Promise<string[]>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  channelId(name: string): Promise<number>;
  close(): Promise<void>;
}

export async function startRoutingRig(channels: (simUrl: string) => string, settings: Parameters<typeof startTestGateway>[1] = {}): Promise<RoutingRig> {
  const sim = await startTestSimulator();
  const gw = await startTestGateway(`channels:\n${channels(sim.url)}\ntokens:\n  - { name: t, key: ${TOKEN_KEY}, unlimited: true }\n`, settings);
  const client = new OpenAI({ apiKey: TOKEN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };
  return {
    sim,
    gw,
    client,
    async calledKeys() {
      const seen = await sim.requests();
      return seen.map((r) => String(r.headers.authorization ?? '').slice(-4));
    },
    admin,
    async channelId(name) {
      return (await gw.gw.repos.channels.list()).find((c) => c.name === name)!.id;
    },
    async close() {
      await gw.close();
      await sim.close();
    },
  };
}

export const ASK = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };

export async function lastRow(rig: RoutingRig) {
  await rig.gw.gw.usage.flush();
  return (await rig.gw.gw.repos.usageLogs.query({ limit: 1 })).items[0]!;
}
