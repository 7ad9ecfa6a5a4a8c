// Failover across tiers, client errors never retried, status-code mapping,
// parameter and header overrides — seen from the simulator's journal.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ASK, lastRow, startRoutingRig, type RoutingRig } from './helpers.js';

let rig: RoutingRig;
beforeAll(async () => {
  rig = await startRoutingRig(
    (url) => `
  - { name: top-500, type: openai, base_url: ${url}, keys: [k-aaaa], models: [gpt-4o-mini, gpt-4.1], priority: 30, settings: { header_override: { x-sim-fault: "500" }, breaker: false } }
  - { name: mid-429, type: openai, base_url: ${url}, keys: [k-bbbb], models: [gpt-4o-mini], priority: 20, settings: { header_override: { x-sim-fault: "429" }, breaker: false } }
  - { name: low-ok, type: openai, base_url: ${url}, keys: [k-cccc], models: [gpt-4o-mini], priority: 10, settings: { param_override: { temperature: 0.25, user: null, "metadata.tier": "low" } } }
  - { name: bad-request, type: openai, base_url: ${url}, keys: [k-dddd], models: [o3-mini], priority: 10, settings: { header_override: { x-sim-fault: "400" } } }
  - { name: never, type: openai, base_url: ${url}, keys: [k-eeee], models: [o3-mini], priority: 0 }
  - { name: mapped-404, type: openai, base_url: ${url}, keys: [k-ffff], models: [gpt-4.1-mini], priority: 10, settings: { header_override: { x-sim-fault: "404" }, status_code_mapping: { "404": 503 } } }
  - { name: after-404, type: openai, base_url: ${url}, keys: [k-gggg], models: [gpt-4.1-mini], priority: 0 }
`,
  );
});
afterAll(() => rig?.close());

test('tiers are tried from the highest priority down; every attempt is on the usage row', async () => {
  await rig.sim.clear();
  const res = await rig.client.chat.completions.create({ ...ASK, user: 'someone' });
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(await rig.calledKeys()).toEqual(['aaaa', 'bbbb', 'cccc']);
  const row = await lastRow(rig);
  expect(JSON.parse(row.attempts!).map((a: { status: number }) => a.status)).toEqual([500, 429, 200]);
  expect(row.channel_id).toBe(await rig.channelId('low-ok'));
});

test("param_override sets, nests and removes body fields on that channel's requests only", async () => {
  await rig.sim.clear();
  await rig.client.chat.completions.create({ ...ASK, user: 'someone', temperature: 1 });
  const seen = await rig.sim.requests();
  expect((seen[0]!.body as any).temperature).toBe(1); // the failing channels got the client's body
  const last = seen[2]!.body as any;
  expect(last).toMatchObject({ temperature: 0.25, metadata: { tier: 'low' } });
  expect(last.user).toBeUndefined();
});

test('a client error (400) is answered at once: the next channel is never called', async () => {
  await rig.sim.clear();
  const err = await rig.client.chat.completions.create({ ...ASK, model: 'o3-mini' }).catch((e: unknown) => e);
  expect((err as { status?: number }).status).toBe(400);
  expect(await rig.calledKeys()).toEqual(['dddd']);
});

test('status_code_mapping turns a 404 into a retryable 503: the next channel serves', async () => {
  await rig.sim.clear();
  const res = await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4.1-mini' });
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(await rig.calledKeys()).toEqual(['ffff', 'gggg']);
  expect(JSON.parse((await lastRow(rig)).attempts!).map((a: { status: number }) => a.status)).toEqual([503, 200]);
});

test('with every channel failing, the client gets the last upstream error in its dialect', async () => {
  await rig.sim.clear();
  const err = await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4.1' }).catch((e: unknown) => e);
  expect((err as { status?: number }).status).toBe(500);
  expect(await rig.calledKeys()).toEqual(['aaaa']);
});
