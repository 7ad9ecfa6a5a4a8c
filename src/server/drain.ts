import type { FastifyInstance } from 'fastify';

/**
 * Stops accepting, lets in-flight requests and streams finish, and after the
 * grace period cuts whatever is still open, so a stop never hangs.
 */
export async function drain(app: FastifyInstance, graceMs: number): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
  // Keep-alive connections whose last response finished after close() began
  // would otherwise idle until their keep-alive timeout: close them as they go idle.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  cut.unref();
  sweep.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
    clearInterval(sweep);
  }
}
