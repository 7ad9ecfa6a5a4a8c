// UpstreamClient's dispatchers: channels without a proxy or connect_ms share
// the default Agent (nothing allocated per request), the others share one
// dispatcher per (proxy, connect timeout), dropped when no channel uses it and
// closed with the client. Requests go over real sockets to a real server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { UpstreamAbort, UpstreamClient } from '../../src/relay/upstream-client.js';
import { startConnectProxy, type TestProxy } from '../routing-e2e/proxies.js';

let server: Server;
let origin: string;
let proxy: TestProxy;

beforeAll(async () => {
  server = createServer((req, res) => res.end(`hello ${req.url}`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy = await startConnectProxy('u', 'pw');
});
afterAll(async () => {
  await proxy.close();
  await new Promise((r) => server.close(r));
});

const closed = (d: unknown) => (d as { closed: boolean }).closed;

test('plain channels share the default Agent; proxy and connect_ms channels share one dispatcher per pair', async () => {
  const client = new UpstreamClient();
  const plain = client.dispatcherFor({});
  expect(client.dispatcherFor({ timeouts: { first_byte_ms: 5, total_ms: 9 }, param_override: {} })).toBe(plain);
  expect(client.dispatcherFor({ timeouts: { connect_ms: 10_000 } })).toBe(plain); // the default connect timeout
  expect(client.dispatcherFor({ proxy: '' })).toBe(plain); // empty = unset
  const a = client.dispatcherFor({ proxy: proxy.url });
  expect(a).not.toBe(plain);
  expect(client.dispatcherFor({ proxy: proxy.url, weight: 1 })).toBe(a);
  const b = client.dispatcherFor({ proxy: proxy.url, timeouts: { connect_ms: 500 } });
  expect(b).not.toBe(a);
  const c = client.dispatcherFor({ timeouts: { connect_ms: 500 } });
  expect([plain, a, b]).not.toContain(c);
  // The route is resolved once per settings object.
  const settings = { timeouts: { idle_ms: 10 } };
  expect(client.route(settings)).toBe(client.route(settings));
  await client.close();
  expect([plain, a, b, c].map(closed)).toEqual([true, true, true, true]);
});

test('request(...) keeps its old form and takes a dispatcher as an optional last argument', async () => {
  const client = new UpstreamClient();
  const target = { origin, path: '/x', headers: {} };
  const direct = await client.request(target, undefined, 'GET', new UpstreamAbort());
  expect(await direct.body.text()).toBe('hello /x');
  const route = client.route({ proxy: proxy.url });
  const carried = proxy.carried;
  const viaProxy = await client.request(target, undefined, 'GET', new UpstreamAbort(), route.timeouts, route.dispatcher);
  expect(await viaProxy.body.text()).toBe('hello /x');
  expect(proxy.carried).toBe(carried + 1);
  await client.close();
});

test('a proxy setting that is unusable (stored before validation) fails closed: nothing goes out directly', async () => {
  const client = new UpstreamClient();
  const route = client.route({ proxy: 'socks4://u:hunter22@127.0.0.1:1080' });
  expect(route.refusal).toMatch(/socks4 proxies are not supported/);
  expect(route.refusal).not.toContain('hunter22');
  expect(route.dispatcher).not.toBe(client.dispatcherFor({}));
  const sent = client.request({ origin, path: '/x', headers: {} }, undefined, 'GET', new UpstreamAbort(), route.timeouts, route.dispatcher);
  await expect(sent).rejects.toThrow();
  await client.close();
});

test('retain closes the dispatchers no channel uses any more; a channel that still uses one keeps it', async () => {
  const client = new UpstreamClient();
  const kept = { settings: { proxy: proxy.url } };
  const dropped = { settings: { timeouts: { connect_ms: 300 } } };
  const keptDispatcher = client.dispatcherFor(kept.settings);
  const droppedDispatcher = client.dispatcherFor(dropped.settings);
  client.retain([kept, { settings: {} }]);
  expect(closed(keptDispatcher)).toBe(false);
  expect(closed(droppedDispatcher)).toBe(true);
  // An old channel object asking again gets a fresh, open dispatcher.
  const again = client.dispatcherFor(dropped.settings);
  expect(again).not.toBe(droppedDispatcher);
  expect(closed(again)).toBe(false);
  await client.close();
  expect(closed(keptDispatcher)).toBe(true);
  expect(closed(again)).toBe(true);
});
