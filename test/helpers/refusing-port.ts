// A port on 127.0.0.1 that refuses connections, for tests of refused
// upstreams, proxies and databases. Taken below the ephemeral range: a port
// bound and released there could be handed to another test's server
// (listening on port 0) before the test connects, and that server answers.
import { connect } from 'node:net';

export async function refusingPort(): Promise<number> {
  for (const port of [1, 9, 13, 17, 19]) {
    if (await refuses(port)) return port;
  }
  throw new Error('no refusing low port found on 127.0.0.1');
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}
