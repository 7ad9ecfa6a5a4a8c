// Real proxies for the routing tests, on port 0: an HTTP CONNECT proxy and a
// SOCKS5 proxy (both with user/password auth, both counting the tunnels they
// open), and a TCP server that accepts and never says a word.
import { createServer, type Server as HttpServer } from 'node:http';
import net, { type AddressInfo, type Server as NetServer, type Socket } from 'node:net';

export interface TestProxy {
  /** The proxy URL, credentials included. */
  url: string;
  port: number;
  /** Tunnels opened (after a successful auth). */
  tunnels: number;
  /** Tunnels open now. */
  open: number;
  /** HTTP requests seen going up the tunnels (the upstreams here speak plain HTTP). */
  carried: number;
  /** Tunnel requests refused for bad or missing credentials. */
  refused: number;
  /** Proxy-Authorization headers (HTTP) or user names (SOCKS) seen, in order. */
  credentials: string[];
  close(): Promise<void>;
}

function listen(server: HttpServer | NetServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closeAll(server: HttpServer | NetServer, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

const REQUEST_LINE = /(?:^|\r\n)(?:GET|POST|PUT|DELETE) \/[^ ]* HTTP\/1\.1\r\n/g;

function pipeTo(proxy: TestProxy, client: Socket, host: string, port: number, onOpen: () => void, head?: Buffer): Socket {
  const upstream = net.connect(port, host, () => {
    proxy.tunnels++;
    proxy.open++;
    upstream.once('close', () => proxy.open--);
    onOpen();
    const count = (chunk: Buffer) => {
      proxy.carried += chunk.toString('latin1').match(REQUEST_LINE)?.length ?? 0;
    };
    if (head?.length) {
      count(head);
      upstream.write(head);
    }
    client.on('data', count);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
  return upstream;
}

/** An HTTP proxy that only tunnels (CONNECT), after checking `Proxy-Authorization: Basic user:pass`. */
export async function startConnectProxy(user: string, pass: string): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const expected = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const server = createServer((_req, res) => {
    res.writeHead(405).end('tunnels only');
  });
  const proxy: TestProxy = { url: '', port: 0, tunnels: 0, open: 0, carried: 0, refused: 0, credentials: [], close: () => closeAll(server, sockets) };
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const auth = req.headers['proxy-authorization'] ?? '';
    proxy.credentials.push(auth);
    if (auth !== expected) {
      proxy.refused++;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = pipeTo(proxy, client, host!, Number(port), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    }, head);
    sockets.add(upstream);
  });
  proxy.port = await listen(server);
  proxy.url = `http://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${proxy.port}`;
  return proxy;
}

/** A SOCKS5 proxy (RFC 1928) that insists on username/password auth (RFC 1929). */
export async function startSocks5Proxy(user: string, pass: string): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    client.once('data', (greeting) => {
      const methods = [...greeting.subarray(2, 2 + greeting[1]!)];
      if (greeting[0] !== 5 || !methods.includes(2)) return void client.end(Buffer.from([5, 0xff]));
      client.write(Buffer.from([5, 2]));
      client.once('data', (auth) => {
        const ulen = auth[1]!;
        const name = auth.subarray(2, 2 + ulen).toString();
        const plen = auth[2 + ulen]!;
        const secret = auth.subarray(3 + ulen, 3 + ulen + plen).toString();
        proxy.credentials.push(name);
        if (name !== user || secret !== pass) {
          proxy.refused++;
          return void client.end(Buffer.from([1, 1]));
        }
        client.write(Buffer.from([1, 0]));
        client.once('data', (req) => {
          let host: string;
          let at: number;
          if (req[3] === 1) [host, at] = [[...req.subarray(4, 8)].join('.'), 8];
          else if (req[3] === 3) [host, at] = [req.subarray(5, 5 + req[4]!).toString(), 5 + req[4]!];
          else return void client.end(Buffer.from([5, 8, 0, 1, 0, 0, 0, 0, 0, 0]));
          const upstream = pipeTo(proxy, client, host, req.readUInt16BE(at), () => {
            client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          });
          sockets.add(upstream);
        });
      });
    });
  });
  const proxy: TestProxy = { url: '', port: 0, tunnels: 0, open: 0, carried: 0, refused: 0, credentials: [], close: () => closeAll(server, sockets) };
  proxy.port = await listen(server);
  proxy.url = `socks5://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${proxy.port}`;
  return proxy;
}

/** Accepts TCP connections and never sends a byte (a TLS handshake to it never completes). */
export async function startSilentServer(): Promise<{ port: number; accepted: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const silent = { port: 0, accepted: 0, close: () => closeAll(server, sockets) };
  const server = net.createServer((s) => {
    silent.accepted++;
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  silent.port = await listen(server);
  return silent;
}

/** A port nothing listens on (below the ephemeral range, so no other test's server can take it meanwhile). */
export { refusingPort as closedPort } from '../helpers/refusing-port.js';
