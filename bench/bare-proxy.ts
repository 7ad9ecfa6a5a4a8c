// The floor the gateway is measured against: the least a Node proxy can do on
// this machine — node:http in, undici out, the answer piped back — with no
// auth, routing, validation, usage reading, billing, logging or metrics. The
// bench runs it as its own process on the plain text case, so the report
// shows how much of the gap to the simulator is Node's HTTP stack itself.
//
// `node .bench/bare-proxy.js <upstream origin> <authorization>` prints
// "listening on http://127.0.0.1:<port>".
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';

const [upstream, authorization] = process.argv.slice(2) as [string, string];
const agent = new Agent({ keepAliveTimeout: 60_000 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    agent
      .request({ origin: upstream, path: req.url ?? '/', method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: Buffer.concat(chunks) })
      .then(async (up) => {
        const length = up.headers['content-length'];
        res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type']), ...(length !== undefined && { 'content-length': String(length) }) });
        for await (const chunk of up.body) res.write(chunk);
        res.end();
      })
      .catch((err: Error) => {
        if (!res.headersSent) res.writeHead(502);
        res.end(err.message);
      });
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
