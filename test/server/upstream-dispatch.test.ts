// The passthrough dispatch path: an answer read through undici's handler API
// into one sink. Whole bodies arrive in order, a sink that says "full" pauses
// the upstream until resumed, a broken body reaches the sink as an error, the
// client leaving aborts the request, and error answers read with for-await.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamAbort } from '../../src/relay/upstream-client.js';
import { dispatchUpstream, isDirectBody, type DirectBody } from '../../src/relay/upstream-dispatch.js';

let server: Server;
let origin: string;
const agent = new Agent();
const BIG = Buffer.alloc(3 * 1024 * 1024, 'x');

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-two': ['a', 'b'] });
      res.end('{"ok":true}');
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-length': BIG.length });
      res.end(BIG);
    } else if (req.url === '/broken') {
      res.writeHead(200, { 'content-length': 100 });
      res.write('partial');
      setTimeout(() => res.destroy(), 20);
    } else if (req.url === '/error') {
      res.writeHead(429, { 'retry-after': '3' });
      res.end('{"error":"slow down"}');
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 2000);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const get = (path: string, signal = new UpstreamAbort()) => dispatchUpstream(agent, { origin, path, headers: {} }, undefined, 'GET', signal);

function collect(body: DirectBody, onChunk?: (n: number) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.sendTo({
      data: (chunk) => {
        chunks.push(chunk);
        return onChunk ? onChunk(chunks.length) : true;
      },
      end: () => resolve(Buffer.concat(chunks)),
      error: reject,
    });
  });
}

describe('dispatchUpstream', () => {
  it("resolves at the headers with request()'s parsed headers, and delivers the body to the sink", async () => {
    const up = await get('/small');
    expect(up.statusCode).toBe(200);
    expect(up.headers['content-type']).toBe('application/json');
    expect(up.headers['x-two']).toEqual(['a', 'b']);
    expect(isDirectBody(up.body)).toBe(true);
    expect((await collect(up.body as unknown as DirectBody)).toString()).toBe('{"ok":true}');
  });

  it('a sink that returns false gets nothing more until resume(); every byte arrives in order', async () => {
    const up = await get('/big');
    const body = up.body as unknown as DirectBody;
    let held = false;
    const whole = collect(body, (n) => {
      expect(held).toBe(false);
      if (n % 3 !== 0) return true;
      held = true;
      setTimeout(() => {
        held = false;
        body.resume();
      }, 5);
      return false;
    });
    expect((await whole).equals(BIG)).toBe(true);
  });

  it('a body that breaks after the headers reaches the sink as an error', async () => {
    const up = await get('/broken');
    await expect(collect(up.body as unknown as DirectBody)).rejects.toThrow();
  });

  it('an error answer reads with for-await and json()', async () => {
    const up = await get('/error');
    expect(up.statusCode).toBe(429);
    expect(up.headers['retry-after']).toBe('3');
    const chunks: Buffer[] = [];
    for await (const chunk of up.body as unknown as DirectBody) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('{"error":"slow down"}');
    expect(await ((await get('/error')).body as unknown as DirectBody).json()).toEqual({ error: 'slow down' });
  });

  it('a slow for-await reader (a converted stream) gets every byte in order; json() reads a whole answer', async () => {
    const up = await get('/big');
    const chunks: Buffer[] = [];
    for await (const chunk of up.body as unknown as DirectBody) {
      chunks.push(chunk);
      if (chunks.length % 4 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    expect(Buffer.concat(chunks).equals(BIG)).toBe(true);
    expect(await ((await get('/small')).body as unknown as DirectBody).json()).toEqual({ ok: true });
  });

  it('the client leaving before the headers rejects; an aborted signal never sends', async () => {
    const signal = new UpstreamAbort();
    const pending = get('/slow', signal);
    setTimeout(() => signal.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' });
    const gone = new UpstreamAbort();
    gone.abort();
    await expect(get('/small', gone)).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' });
  });

  it('the client leaving mid-body ends the sink with an error', async () => {
    const signal = new UpstreamAbort();
    const up = await get('/broken', signal);
    const read = collect(up.body as unknown as DirectBody);
    signal.abort();
    await expect(read).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' });
  });
});
