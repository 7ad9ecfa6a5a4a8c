// A channel's `settings.proxy`: its requests go through the proxy (HTTP CONNECT
// with basic auth, or SOCKS5), other channels' do not; a proxy that refuses or
// cannot be reached is a retryable failure; the password never shows.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ASK, lastRow, startRoutingRig, type RoutingRig } from './helpers.js';
import { closedPort, startConnectProxy, startSocks5Proxy, type TestProxy } from './proxies.js';

const PASSWORD = 'p@ss w:rd';
let rig: RoutingRig;
let proxy: TestProxy;
let other: TestProxy;
let socks: TestProxy;
let wrongAuth: string;
let deadProxy: string;

beforeAll(async () => {
  proxy = await startConnectProxy('gw', PASSWORD);
  other = await startConnectProxy('gw2', 'second-secret');
  socks = await startSocks5Proxy('sox', PASSWORD);
  wrongAuth = `http://gw:wrong@127.0.0.1:${proxy.port}`;
  deadProxy = `http://gw:dead-secret@127.0.0.1:${await closedPort()}`;
  rig = await startRoutingRig(
    (url) => `
  - { name: proxied, type: openai, base_url: ${url}, keys: [k-aaaa], models: [gpt-4o-mini], settings: { proxy: "${proxy.url}" } }
  - { name: direct, type: openai, base_url: ${url}, keys: [k-bbbb], models: [gpt-4.1] }
  - { name: socks, type: openai, base_url: ${url}, keys: [k-cccc], models: [gpt-4.1-mini], settings: { proxy: "${socks.url}" } }
  - { name: refused-407, type: openai, base_url: ${url}, keys: [k-dddd], models: [o3-mini], priority: 10, settings: { proxy: "${wrongAuth}", breaker: false } }
  - { name: after-407, type: openai, base_url: ${url}, keys: [k-eeee], models: [o3-mini], priority: 0 }
  - { name: dead-proxy, type: openai, base_url: ${url}, keys: [k-ffff], models: [o4-mini], priority: 10, settings: { proxy: "${deadProxy}", breaker: false } }
  - { name: after-dead, type: openai, base_url: ${url}, keys: [k-gggg], models: [o4-mini], priority: 0 }
`,
  );
});
afterAll(async () => {
  await rig?.close();
  await Promise.all([proxy?.close(), other?.close(), socks?.close()]);
});

test('a channel with a proxy reaches the upstream through it, with the proxy credentials', async () => {
  await rig.sim.clear();
  const before = proxy.carried;
  const res = await rig.client.chat.completions.create(ASK);
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(proxy.tunnels).toBeGreaterThan(0);
  expect(proxy.carried).toBe(before + 1);
  expect(proxy.credentials.at(-1)).toBe(`Basic ${Buffer.from(`gw:${PASSWORD}`).toString('base64')}`);
  expect(await rig.calledKeys()).toEqual(['aaaa']);
  expect(JSON.parse((await lastRow(rig)).attempts!)).toMatchObject([{ status: 200 }]);
});

test('a channel without a proxy does not use one', async () => {
  await rig.sim.clear();
  const before = [proxy.carried, proxy.refused, other.carried, socks.carried];
  const res = await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4.1' });
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(await rig.calledKeys()).toEqual(['bbbb']);
  expect([proxy.carried, proxy.refused, other.carried, socks.carried]).toEqual(before);
});

test('a socks5:// proxy with user and password carries the channel', async () => {
  await rig.sim.clear();
  const before = socks.carried;
  const stream = await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4.1-mini', stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).not.toBe('');
  expect(socks.tunnels).toBeGreaterThan(0);
  expect(socks.carried).toBe(before + 1);
  expect(socks.credentials.at(-1)).toBe('sox');
  expect(await rig.calledKeys()).toEqual(['cccc']);
});

test('a proxy that answers 407 is a retryable failure: the next channel serves, both attempts recorded', async () => {
  await rig.sim.clear();
  const refused = proxy.refused;
  const res = await rig.client.chat.completions.create({ ...ASK, model: 'o3-mini' });
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(proxy.refused).toBe(refused + 1);
  expect(await rig.calledKeys()).toEqual(['eeee']);
  const row = await lastRow(rig);
  const attempts = JSON.parse(row.attempts!);
  expect(attempts).toMatchObject([
    { channel_id: await rig.channelId('refused-407'), status: null, error: expect.stringMatching(/proxy refused the tunnel.*407/) },
    { channel_id: await rig.channelId('after-407'), status: 200 },
  ]);
  expect(row.attempts).not.toContain('wrong');
});

test('a proxy nobody listens on is a retryable failure too', async () => {
  await rig.sim.clear();
  const res = await rig.client.chat.completions.create({ ...ASK, model: 'o4-mini' });
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(await rig.calledKeys()).toEqual(['gggg']);
  const attempts = JSON.parse((await lastRow(rig)).attempts!);
  expect(attempts).toMatchObject([{ status: null, error: expect.stringMatching(/proxy could not be reached \(ECONNREFUSED\)/) }, { status: 200 }]);
  expect(JSON.stringify(attempts)).not.toContain('dead-secret');
});

test('a stored proxy that is unusable (written before validation existed) fails closed and over: never sent directly', async () => {
  const created = await rig.gw.gw.repos.channels.create({
    name: 'legacy-proxy',
    type: 'openai',
    baseUrl: rig.sim.url,
    keys: ['k-iiii'],
    models: ['o1-mini'],
    priority: 10,
    settings: { proxy: 'socks4://old:legacy-secret@127.0.0.1:1080', breaker: false },
  });
  await rig.gw.gw.repos.channels.create({ name: 'after-legacy', type: 'openai', baseUrl: rig.sim.url, keys: ['k-jjjj'], models: ['o1-mini'] });
  await rig.gw.gw.cache.settled();
  await rig.sim.clear();
  const res = await rig.client.chat.completions.create({ ...ASK, model: 'o1-mini' });
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(await rig.calledKeys()).toEqual(['jjjj']);
  const attempts = JSON.parse((await lastRow(rig)).attempts!);
  expect(attempts).toMatchObject([{ channel_id: created.id, status: null, error: expect.stringMatching(/proxy setting is unusable.*socks4/) }, { status: 200 }]);
  expect(JSON.stringify(attempts)).not.toContain('legacy-secret');
});

test('the API shows a proxy with its password masked; sending it back keeps the real one', async () => {
  const id = await rig.channelId('proxied');
  const read = await rig.admin('GET', `/api/channels/${id}`);
  expect(read.body.data.settings.proxy).toBe(`http://gw:…@127.0.0.1:${proxy.port}`);
  expect(JSON.stringify(read.body)).not.toContain(encodeURIComponent(PASSWORD));

  // A client that PUTs back what it read (masked proxy included) changes nothing.
  const echoed = await rig.admin('PUT', `/api/channels/${id}`, { settings: read.body.data.settings, weight: 3 });
  expect(echoed.status).toBe(200);
  expect((await rig.gw.gw.repos.channels.get(id))!.settings.proxy).toBe(proxy.url);
  await rig.gw.gw.cache.settled();
  const before = proxy.carried;
  await rig.client.chat.completions.create(ASK);
  expect(proxy.carried).toBe(before + 1);

  // A masked password for another proxy has nothing to stand for.
  const wrong = await rig.admin('PUT', `/api/channels/${id}`, { settings: { proxy: `http://gw:…@127.0.0.1:${other.port}` } });
  expect(wrong.status).toBe(400);
  expect(wrong.body.data.field).toBe('settings.proxy');
});

test("the admin channel test goes through the channel's proxy as requests do", async () => {
  const carried = proxy.carried;
  const res = await rig.admin('POST', `/api/channels/${await rig.channelId('proxied')}/test`, {});
  expect(res.body).toMatchObject({ success: true, data: { ok: true, status: 200 } });
  expect(proxy.carried).toBe(carried + 1);
  const refused = await rig.admin('POST', `/api/channels/${await rig.channelId('refused-407')}/test`, {});
  expect(refused.body).toMatchObject({ success: false, data: { ok: false, status: 0 } });
  expect(refused.body.message).toMatch(/407/);
});

test('a proxy set through the API is stored and used at once; changing it moves the traffic', async () => {
  const created = await rig.admin('POST', '/api/channels', {
    name: 'api-proxied',
    type: 'openai',
    base_url: rig.sim.url,
    keys: ['k-hhhh'],
    models: ['gpt-4o'],
    settings: { proxy: other.url },
  });
  expect(created.status).toBe(200);
  const id = created.body.data.id as number;
  expect((await rig.gw.gw.repos.channels.get(id))!.settings.proxy).toBe(other.url);
  await rig.gw.gw.cache.settled();
  await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4o' });
  expect(other.carried).toBe(1);
  expect(other.open).toBe(1); // kept alive for the next request

  // Another proxy: the next request goes through it; the old one's dispatcher (no channel uses it now) is closed.
  const viaFirst = proxy.carried;
  const put = await rig.admin('PUT', `/api/channels/${id}`, { settings: { proxy: proxy.url } });
  expect(put.status).toBe(200);
  await rig.gw.gw.cache.settled();
  await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4o' });
  expect(proxy.carried).toBe(viaFirst + 1);
  expect(other.carried).toBe(1);
  for (let i = 0; i < 100 && other.open > 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(other.open).toBe(0);
});

test('the API refuses bad proxies and timeouts, naming the field and never the password', async () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ proxy: 'ftp://u:hunter22@proxy:21' }, 'settings.proxy', /http:\/\/, https:\/\/ or socks5:\/\//],
    [{ proxy: 'socks4://u:hunter22@proxy:1080' }, 'settings.proxy', /socks4 proxies are not supported/],
    [{ proxy: 'not a url' }, 'settings.proxy', /proxy URL/],
    [{ proxy: 'http://u:hunter22@proxy:8080/some/path' }, 'settings.proxy', /without a path/],
    [{ timeouts: { connect_ms: 0 } }, 'settings.timeouts.connect_ms', /whole milliseconds/],
    [{ timeouts: { total_ms: -5 } }, 'settings.timeouts.total_ms', /whole milliseconds/],
    [{ timeouts: { total_ms: 1.5 } }, 'settings.timeouts.total_ms', /whole milliseconds/],
    [{ timeouts: { connect_ms: '200' } }, 'settings.timeouts.connect_ms', /whole milliseconds/],
    [{ timeouts: { connect_timeout: 200 } }, 'settings.timeouts.connect_timeout', /unknown field/],
    [{ timeouts: 5000 }, 'settings.timeouts', /expected an object/],
  ];
  for (const [settings, field, message] of cases) {
    const res = await rig.admin('POST', '/api/channels', { name: 'bad', type: 'openai', keys: ['k'], models: ['m'], settings });
    expect(res.status, JSON.stringify(settings)).toBe(400);
    expect(res.body.data.field, JSON.stringify(settings)).toBe(field);
    expect(res.body.message, JSON.stringify(settings)).toMatch(message);
    expect(res.body.message).not.toContain('hunter22');
  }
  const good = await rig.admin('POST', '/api/channels', {
    name: 'good-waits',
    type: 'openai',
    keys: ['k'],
    models: ['m'],
    settings: { proxy: 'socks5://u:hunter22@127.0.0.1:1080', timeouts: { connect_ms: 500, first_byte_ms: 1000, idle_ms: 1000, total_ms: 60000 } },
  });
  expect(good.status).toBe(200);
  expect(good.body.data.settings.timeouts).toEqual({ connect_ms: 500, first_byte_ms: 1000, idle_ms: 1000, total_ms: 60000 });
  expect(JSON.stringify(good.body)).not.toContain('hunter22');
});
