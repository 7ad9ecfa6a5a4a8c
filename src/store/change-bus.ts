// Change events: every repository mutation publishes one, and every cache
// (in this process, and through Redis on other nodes) reloads what it names.
// Peer notices ride the same path for shared in-memory state that has no row
// (circuit-breaker transitions); caches never see them.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChangeEvent } from './entities.js';
import { closeRedis, connectRedis } from './redis.js';

/**
 * Shared in-memory state that is not a stored row (circuit-breaker
 * transitions): carried between nodes like a change, but no cache reloads it.
 */
export interface PeerNotice {
  /** What it is about (e.g. 'breaker'); subscribers filter on it. */
  topic: string;
  data: unknown;
}

export interface ChangeBus {
  /** Delivers to local subscribers at once (and to other nodes, for Redis); never throws. */
  publish(ev: ChangeEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(fn: (ev: ChangeEvent) => void): () => void;
  /** Like publish, for notices: local notice subscribers at once, other nodes through Redis; never throws. */
  notify(notice: PeerNotice): void;
  /** Returns the unsubscribe function. */
  onNotice(fn: (notice: PeerNotice) => void): () => void;
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

class LocalFanout<T> {
  readonly #listeners = new Set<(ev: T) => void>();
  constructor(private readonly onError: (err: unknown) => void) {}

  deliver(ev: T): void {
    for (const fn of [...this.#listeners]) {
      try {
        fn(ev);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  subscribe(fn: (ev: T) => void): () => void {
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
  const fanout = new LocalFanout<ChangeEvent>(opts.onError ?? defaultOnError);
  const notices = new LocalFanout<PeerNotice>(opts.onError ?? defaultOnError);
  return {
    publish: (ev) => fanout.deliver(ev),
    subscribe: (fn) => fanout.subscribe(fn),
    notify: (notice) => notices.deliver(notice),
    onNotice: (fn) => notices.subscribe(fn),
    close: async () => {
      fanout.clear();
      notices.clear();
    },
  };
}

export interface RedisBusOptions extends BusOptions {
  /** Identifies this node in messages (default: a random UUID). */
  nodeId?: string;
  channel?: string;
  timeoutMs?: number;
}

/** One of `ev` (a change) or `notice`. */
type WireMessage = { node: string; ev: ChangeEvent; notice?: undefined } | { node: string; ev?: undefined; notice: PeerNotice };

/**
 * Several nodes: a publish reaches local subscribers at once and other nodes
 * through Redis pub/sub. Each message carries the publisher's node id, so a
 * node skips its own echo instead of applying the change twice.
 */
export async function createRedisBus(redisUrl: string, opts: RedisBusOptions = {}): Promise<ChangeBus> {
  const onError = opts.onError ?? defaultOnError;
  const nodeId = opts.nodeId ?? randomUUID();
  const channel = opts.channel ?? CHANGE_CHANNEL;
  const fanout = new LocalFanout<ChangeEvent>(onError);
  const notices = new LocalFanout<PeerNotice>(onError);
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
    if (msg.node === nodeId) return;
    if (msg.ev) fanout.deliver(msg.ev);
    else notices.deliver(msg.notice);
  });
  // Messages published while we were disconnected are lost: reload everything.
  // (connectRedis resolved on the first 'ready', so every later one is a reconnect.)
  sub.on('ready', () => fanout.deliver({ entity: 'all' }));

  let closed = false;
  const send = (message: WireMessage) => {
    if (closed) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (err) {
      return onError(err);
    }
    pub.publish(channel, text).catch(onError);
  };
  return {
    publish(ev) {
      fanout.deliver(ev);
      send({ node: nodeId, ev });
    },
    subscribe: (fn) => fanout.subscribe(fn),
    notify(notice) {
      notices.deliver(notice);
      send({ node: nodeId, notice });
    },
    onNotice: (fn) => notices.subscribe(fn),
    async close() {
      if (closed) return;
      closed = true;
      fanout.clear();
      notices.clear();
      await Promise.all([closeRedis(sub), closeRedis(pub)]);
    },
  };
}

const ENTITIES = new Set<ChangeEvent['entity']>(['user', 'group', 'token', 'channel', 'price', 'all']);

function parseMessage(text: string): WireMessage | undefined {
  try {
    const raw = JSON.parse(text) as { node?: unknown; ev?: { entity?: unknown; id?: unknown }; notice?: { topic?: unknown; data?: unknown } };
    const notice = raw?.notice;
    if (typeof raw?.node === 'string' && !raw.ev && notice && typeof notice === 'object' && typeof notice.topic === 'string') {
      return { node: raw.node, notice: { topic: notice.topic, data: notice.data } };
    }
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
