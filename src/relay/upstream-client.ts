import { Agent, type Dispatcher } from 'undici';
import type { UpstreamTarget } from '../providers/types.js';

export interface UpstreamTimeouts {
  /** Until the upstream's response headers arrive. */
  firstByteMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
  connectMs: number;
}

/** Image models can think for a minute or two before the first byte. */
export const DEFAULT_TIMEOUTS: UpstreamTimeouts = { firstByteMs: 300_000, idleMs: 300_000, connectMs: 10_000 };

/** One keep-alive pool per upstream origin, shared by every request. */
export class UpstreamClient {
  private readonly agent: Agent;

  constructor(timeouts: UpstreamTimeouts = DEFAULT_TIMEOUTS) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connections: 256,
      headersTimeout: timeouts.firstByteMs,
      bodyTimeout: timeouts.idleMs,
      connect: { timeout: timeouts.connectMs },
    });
  }

  request(
    target: UpstreamTarget,
    body: Buffer | undefined,
    method: 'GET' | 'POST',
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    return this.agent.request({
      origin: target.origin,
      path: target.path,
      method,
      headers: target.headers,
      body,
      signal,
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
