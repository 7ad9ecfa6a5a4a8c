// Change events: every repository mutation publishes one, and every cache
// (in this process, and through Redis on other nodes) reloads what it names.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChangeEvent } from './entities.js';
import { closeRedis, connectRedis } from './redis.js';

export interface ChangeBus {
  /** Delivers to local subscribers at once (and to other nodes, for Redis); never throws. */
  publish(ev: ChangeEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(fn: (ev: ChangeEvent) => void): () => void;
  close(): Promise<void>;
}

export interface BusOptions {
  /** A subscriber threw, or Redis failed; default: one line on stderr. */
  onError?: (err: unknown) => void;
}

export const CHANGE_CHANNEL = 'waystation:changes';

const defaultOnError = (err: unknown) => {
  console.error(`[waystation] change bus: ${err instanceof Error ? err.message : String(err)}`);
};

class LocalFanout {
  readonly #listeners = new Set<(ev: ChangeEvent) => void>();
  constructor(private readonly onError: (err: unknown) => void) {}

  deliver(ev: ChangeEvent): void {
    for (const fn of [...this.#listeners]) {
      try {
        fn(ev);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  subscribe(fn: (ev: ChangeEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  }

  clear(): void {
    this.#listeners.clear();
  }
}

/** One process, no Redis. */
export function createLocalBus(opts: BusOptions = {}): ChangeBus {
  const fanout = new LocalFanout(opts.onError ?? defaultOnError);
  return {
    publish: (ev) => fanout.deliver(ev),
    subscribe: (fn) => fanout.subscribe(fn),
    close: async () => fanout.clear(),
  };
}

export interface RedisBusOptions extends BusOptions {
  /** Identifies this node in messages (default: a random UUID). */
  nodeId?: string;
  channel?: string;
  timeoutMs?: number;
}

interface WireMessage {
  node: string;
  ev: ChangeEvent;
}

/**
 * Several nodes: a publish reaches local subscribers at once and other nodes
 * through Redis pub/sub. Each message carries the publisher's node id, so a
 * node skips its own echo instead of applying the change twice.
 */
export async function createRedisBus(redisUrl: string, opts: RedisBusOptions = {}): Promise<ChangeBus> {
  const onError = opts.onError ?? defaultOnError;
  const nodeId = opts.nodeId ?? randomUUID();
  const channel = opts.channel ?? CHANGE_CHANNEL;
  const fanout = new LocalFanout(onError);
  const connectOpts = { timeoutMs: opts.timeoutMs, onError };
  // A subscribed connection can run no other command: one each way.
  const pub = await connectRedis(redisUrl, `waystation-pub-${nodeId}`, connectOpts);
  let sub: Redis;
  try {
    sub = await connectRedis(redisUrl, `waystation-sub-${nodeId}`, connectOpts);
    await sub.subscribe(channel);
  } catch (err) {
    await closeRedis(pub);
    throw err;
  }

  sub.on('message', (ch: string, text: string) => {
    if (ch !== channel) return;
    const msg = parseMessage(text);
    if (!msg) return onError(new Error(`ignored a malformed message on ${channel}`));
    if (msg.node !== nodeId) fanout.deliver(msg.ev);
  });
  // Messages published while we were disconnected are lost: reload everything.
  // (connectRedis resolved on the first 'ready', so every later one is a reconnect.)
  sub.on('ready', () => fanout.deliver({ entity: 'all' }));

  let closed = false;
  return {
    publish(ev) {
      fanout.deliver(ev);
      if (closed) return;
      const message: WireMessage = { node: nodeId, ev };
      pub.publish(channel, JSON.stringify(message)).catch(onError);
    },
    subscribe: (fn) => fanout.subscribe(fn),
    async close() {
      if (closed) return;
      closed = true;
      fanout.clear();
      await Promise.all([closeRedis(sub), closeRedis(pub)]);
    },
  };
}

const ENTITIES = new Set<ChangeEvent['entity']>(['user', 'group', 'token', 'channel', 'price', 'all']);

function parseMessage(text: string): WireMessage | undefined {
  try {
    const raw = JSON.parse(text) as { node?: unknown; ev?: { entity?: unknown; id?: unknown } };
    const ev = raw?.ev;
    if (typeof raw?.node !== 'string' || !ev || !ENTITIES.has(ev.entity as ChangeEvent['entity'])) return undefined;
    if (ev.id !== undefined && typeof ev.id !== 'number' && typeof ev.id !== 'string') return undefined;
    const out: ChangeEvent = { entity: ev.entity as ChangeEvent['entity'] };
    if (ev.id !== undefined) out.id = ev.id as number | string;
    return { node: raw.node, ev: out };
  } catch {
    return undefined;
  }
}
