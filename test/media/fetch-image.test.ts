import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/dialects/errors.js';
import { isBlockedAddress } from '../../src/media/address-policy.js';
import { defaultFetchImageDeps, fetchImage, type FetchImageDeps, type FetchImageOptions } from '../../src/media/fetch-image.js';
import { refusingPort } from '../helpers/refusing-port.js';

let server: Server;
let port: number;
let png: Buffer;
const hits: Array<{ path: string; host: string | undefined }> = [];

beforeAll(async () => {
  png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#00ff00' } }).png().toBuffer();
  server = createServer((req, res) => {
    hits.push({ path: req.url ?? '', host: req.headers.host });
    const redirect = (to: string): void => {
      res.writeHead(302, { location: to });
      res.end();
    };
    switch (req.url) {
      case '/image.png':
        res.writeHead(200, { 'content-type': 'application/octet-stream' }); // the type is sniffed, not trusted
        res.end(png);
        return;
      case '/text':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end('<html><body>this is a web page, not an image, whatever the header says</body></html>');
        return;
      case '/tiny-text':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end('hi');
        return;
      case '/big-streamed':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(png);
        for (let i = 0; i < 20; i++) res.write(Buffer.alloc(64 * 1024));
        res.end();
        return;
      case '/big-declared':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(10 * 1024 * 1024) });
        res.write(png);
        setImmediate(() => res.destroy());
        return;
      case '/to-image':
        return redirect('/image.png');
      case '/to-metadata':
        return redirect('http://169.254.169.254/latest/meta-data/');
      case '/to-mapped-private':
        return redirect('http://[::ffff:10.0.0.1]/x.png');
      case '/to-ftp':
        return redirect('ftp://example.com/x.png');
      case '/loop':
        return redirect('/loop');
      default:
        res.writeHead(404);
        res.end('nope');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const PRIVATE_OK: FetchImageOptions = { allowPrivate: true, maxBytes: 512 * 1024, timeoutMs: 10_000 };
const STRICT: FetchImageOptions = { ...PRIVATE_OK, allowPrivate: false };
// Acts out the public internet: this one test server counts as public, every other rule stays.
const SERVER_IS_PUBLIC: FetchImageDeps = { ...defaultFetchImageDeps, isBlocked: (ip) => ip !== '127.0.0.1' && isBlockedAddress(ip) };

const local = (path: string): string => `http://127.0.0.1:${port}${path}`;

async function refusalOf(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  const gw = err as GatewayError;
  expect(gw.kind).toBe('invalid_request');
  expect(gw.param).toBe('image_url');
  expect(gw.message).toMatch(/^Could not fetch image_url /);
  return gw;
}

describe('fetchImage', () => {
  it('refuses a loopback server without allowPrivate, before connecting', async () => {
    const before = hits.length;
    const err = await refusalOf(fetchImage(local('/image.png'), STRICT));
    expect(err.message).toContain('private or reserved address (127.0.0.1)');
    expect(hits.length).toBe(before);
  });

  it('fetches it with allowPrivate, typing it by its bytes', async () => {
    const image = await fetchImage(local('/image.png'), PRIVATE_OK);
    expect(image.mimeType).toBe('image/png');
    expect(image.data.equals(png)).toBe(true);
  });

  it("refuses 'localhost' (a name that resolves to loopback)", async () => {
    const err = await refusalOf(fetchImage(`http://localhost:${port}/image.png`, STRICT));
    expect(err.message).toMatch(/localhost resolves to a private or reserved address \((127\.0\.0\.1|::1)\)/);
  });

  it('refuses literal private, metadata and IPv4-mapped addresses', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.1.2.3/a.png', 'http://[::1]/a.png', 'http://[::ffff:127.0.0.1]/a.png', 'http://0x7f.0.0.1/a.png', 'http://2130706433/a.png']) {
      await refusalOf(fetchImage(url, STRICT));
    }
  });

  it('refuses a host where any resolved address is private', async () => {
    const deps: FetchImageDeps = {
      ...defaultFetchImageDeps,
      resolve: async () => [
        { address: '8.8.8.8', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ],
    };
    expect((await refusalOf(fetchImage('http://mixed.example.test/a.png', STRICT, deps))).message).toContain('10.0.0.5');
  });

  it('connects to the vetted address, keeping the hostname in Host (no second DNS answer can swap it)', async () => {
    let lookups = 0;
    const deps: FetchImageDeps = {
      ...defaultFetchImageDeps,
      resolve: async (host) => {
        lookups++;
        expect(host).toBe('images.example.test');
        return [{ address: '127.0.0.1', family: 4 }];
      },
    };
    const image = await fetchImage(`http://images.example.test:${port}/image.png`, PRIVATE_OK, deps);
    expect(image.data.equals(png)).toBe(true);
    expect(lookups).toBe(1);
    expect(hits[hits.length - 1]).toEqual({ path: '/image.png', host: `images.example.test:${port}` });
  });

  it('follows a redirect to an image', async () => {
    const image = await fetchImage(local('/to-image'), STRICT, SERVER_IS_PUBLIC);
    expect(image.mimeType).toBe('image/png');
  });

  it('refuses a redirect to a private address, checking the new host again', async () => {
    const metadata = await refusalOf(fetchImage(local('/to-metadata'), STRICT, SERVER_IS_PUBLIC));
    expect(metadata.message).toContain('private or reserved address (169.254.169.254)');
    await refusalOf(fetchImage(local('/to-mapped-private'), STRICT, SERVER_IS_PUBLIC));
    expect((await refusalOf(fetchImage(local('/to-ftp'), STRICT, SERVER_IS_PUBLIC))).message).toContain('only http and https');
  });

  it('stops after 3 redirects', async () => {
    const before = hits.length;
    expect((await refusalOf(fetchImage(local('/loop'), PRIVATE_OK))).message).toContain('more than 3 redirects');
    expect(hits.length - before).toBe(4);
  });

  it('refuses bodies over maxBytes, streamed or declared', async () => {
    expect((await refusalOf(fetchImage(local('/big-streamed'), PRIVATE_OK))).message).toContain('more than the 524288 bytes');
    expect((await refusalOf(fetchImage(local('/big-declared'), PRIVATE_OK))).message).toContain('10485760 bytes');
  });

  it('refuses content that is not an image, whatever its content-type', async () => {
    expect((await refusalOf(fetchImage(local('/text'), PRIVATE_OK))).message).toContain('not a supported image');
    expect((await refusalOf(fetchImage(local('/tiny-text'), PRIVATE_OK))).message).toContain('not a supported image');
  });

  it('refuses error statuses, other schemes, bad URLs and unresolvable hosts', async () => {
    expect((await refusalOf(fetchImage(local('/missing.png'), PRIVATE_OK))).message).toContain('HTTP 404');
    for (const url of ['ftp://example.com/a.png', 'file:///etc/passwd', 'data:image/png;base64,AAAA', 'not a url']) {
      await refusalOf(fetchImage(url, PRIVATE_OK));
    }
    const noDns: FetchImageDeps = {
      ...defaultFetchImageDeps,
      resolve: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
    };
    expect((await refusalOf(fetchImage('http://nowhere.invalid/a.png', STRICT, noDns))).message).toContain('ENOTFOUND');
  });

  it('reports a refused connection as a refusal, not a crash', async () => {
    const closedPort = await refusingPort();
    expect((await refusalOf(fetchImage(`http://127.0.0.1:${closedPort}/a.png`, PRIVATE_OK))).message).toContain('ECONNREFUSED');
  });
});
