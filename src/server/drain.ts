import type { FastifyInstance } from 'fastify';
import type { InFlight } from '../relay/in-flight.js';

/**
 * Stops accepting, lets in-flight relay requests and streams finish (up to
 * the grace period), then closes every connection left: by then they are idle
 * keep-alives or half-dead sockets, and waiting on them would only delay exit.
 */
export async function drain(app: FastifyInstance, graceMs: number, inFlight: InFlight): Promise<void> {
  const closed = app.close();
  // Keep-alive connections whose last response finished after close() began
  // would otherwise idle until their keep-alive timeout: close them as they go idle.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  sweep.unref();
  try {
    await inFlight.idle(graceMs);
    app.server.closeAllConnections();
    await closed;
  } finally {
    clearInterval(sweep);
  }
}
