// Circuit breakers open → half-open → closed on real traffic, and a refused or
// spent key set aside on its own while the channel's other keys keep serving.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ASK, lastRow, startRoutingRig, type RoutingRig } from './helpers.js';

let rig: RoutingRig;
beforeAll(async () => {
  rig = await startRoutingRig(
    (url) => `
  - { name: flaky, type: openai, base_url: ${url}, keys: [k-aaaa], models: [gpt-4o-mini], priority: 10, settings: { header_override: { x-sim-fault: "500" }, breaker: { failures: 2, cooldown_ms: 400 } } }
  - { name: steady, type: openai, base_url: ${url}, keys: [k-bbbb], models: [gpt-4o-mini], priority: 0 }
  - { name: multi-key, type: openai, base_url: ${url}, keys: [k-invalid-1111, k-nocredit-2222, k-good-3333], models: [gpt-4.1-mini] }
`,
  );
});
afterAll(() => rig?.close());

const state = async (name: string) => (await rig.admin('GET', `/api/channels/${await rig.channelId(name)}`)).body.data;

test('consecutive failures open the breaker: traffic skips the channel, then a probe after the cooldown closes it', async () => {
  await rig.sim.clear();
  await rig.client.chat.completions.create(ASK);
  await rig.client.chat.completions.create(ASK);
  expect(await rig.calledKeys()).toEqual(['aaaa', 'bbbb', 'aaaa', 'bbbb']);
  expect((await state('flaky')).breaker).toMatchObject({ state: 'open', last_error: { kind: 'server' } });

  await rig.sim.clear();
  await rig.client.chat.completions.create(ASK);
  expect(await rig.calledKeys()).toEqual(['bbbb']); // open: skipped without a call
  const skipped = JSON.parse((await lastRow(rig)).attempts!);
  expect(skipped[0]).toMatchObject({ status: null, error: 'circuit breaker open' });

  // The upstream recovers; after the cooldown one real request probes it and closes the breaker.
  const id = await rig.channelId('flaky');
  const flaky = await state('flaky');
  expect((await rig.admin('PUT', `/api/channels/${id}`, { settings: { ...flaky.settings, header_override: {} } })).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 450));
  expect((await state('flaky')).breaker.state).toBe('half_open');
  await rig.sim.clear();
  await rig.client.chat.completions.create(ASK);
  expect(await rig.calledKeys()).toEqual(['aaaa']);
  expect((await state('flaky')).breaker.state).toBe('closed');
});

test('a refused key and a spent key are set aside with their reasons; the good key serves the same request', async () => {
  await rig.sim.clear();
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4.1-mini' }));
  expect(answers.every((a) => a.choices[0]!.message.content)).toBe(true);
  const calls = await rig.calledKeys();
  // Each bad key is called once, then never again; every request is answered by the good key.
  expect(calls.filter((k) => k === '1111')).toHaveLength(1);
  expect(calls.filter((k) => k === '2222')).toHaveLength(1);
  expect(calls.filter((k) => k === '3333')).toHaveLength(3);

  const deadline = Date.now() + 3000;
  let keys: Array<{ id: number; status: string; status_reason: string | null }> = [];
  while (Date.now() < deadline) {
    keys = (await state('multi-key')).keys;
    if (keys.filter((k) => k.status === 'auto_disabled').length === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(keys.map((k) => k.status)).toEqual(['auto_disabled', 'auto_disabled', 'enabled']);
  expect(keys[0]!.status_reason).toMatch(/invalid|incorrect/i);
  expect(keys[1]!.status_reason).toMatch(/quota|credit/i);

  // Enabled again by hand, the key is back in rotation (and refused again by the upstream).
  const id = await rig.channelId('multi-key');
  const back = await rig.admin('POST', `/api/channels/${id}/keys/${keys[0]!.id}/enable`);
  expect(back.body.data.keys[0].status).toBe('enabled');
  expect((await rig.admin('POST', `/api/channels/${id}/keys/999999/enable`)).status).toBe(404);
});
