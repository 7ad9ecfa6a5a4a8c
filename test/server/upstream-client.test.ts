// The upstream pool: the cheap abort signal cancels a call, and streams are
// never queued behind a per-origin connection cap.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamAbort, UpstreamClient } from '../../src/relay/upstream-client.js';

let origin: string;
let held: ServerResponse[] = [];
let seen = 0;
const server = createServer((req, res) => {
  seen++;
  req.resume();
  if (req.url === '/hold') held.push(res);
  else res.end('{"ok":true}');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const target = (path: string) => ({ origin, path, headers: { 'content-type': 'application/json' } });

describe('UpstreamClient', () => {
  it('answers with an UpstreamAbort that never fires', async () => {
    const client = new UpstreamClient();
    const up = await client.request(target('/now'), Buffer.from('{}'), 'POST', new UpstreamAbort());
    expect(up.statusCode).toBe(200);
    expect(await up.body.json()).toEqual({ ok: true });
    await client.close();
  });

  it('UpstreamAbort cancels a call waiting for its answer', async () => {
    const client = new UpstreamClient();
    const abort = new UpstreamAbort();
    const before = held.length;
    const call = client.request(target('/hold'), undefined, 'POST', abort);
    while (held.length === before) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    expect(abort.aborted).toBe(true);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    await client.close();
  });

  it('an AbortSignal already aborted refuses the call too', async () => {
    const client = new UpstreamClient();
    const controller = new AbortController();
    controller.abort();
    await expect(client.request(target('/now'), undefined, 'POST', controller.signal)).rejects.toBeTruthy();
    await client.close();
  });

  it('holds 300 calls open at once to one origin (no connection cap queues them)', async () => {
    const client = new UpstreamClient();
    held = [];
    seen = 0;
    const calls = Array.from({ length: 300 }, () => client.request(target('/hold'), undefined, 'POST', new UpstreamAbort()));
    const deadline = Date.now() + 20_000;
    while (held.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(held.length).toBe(300);
    for (const res of held) res.end('{}');
    const answers = await Promise.all(calls);
    await Promise.all(answers.map((a) => a.body.dump()));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    await client.close();
  });
});
