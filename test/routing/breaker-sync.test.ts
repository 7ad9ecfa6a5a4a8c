// Two boards (two nodes) sharing breaker transitions over a real change bus:
// the in-process bus always, Redis pub/sub when WAYSTATION_TEST_REDIS is set.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BREAKER_TOPIC, shareBreakers } from '../../src/routing/breaker-sync.js';
import { BreakerBoard } from '../../src/routing/circuit-breaker.js';
import type { BreakerFailure, BreakerTransition } from '../../src/routing/circuit-breaker.js';
import { CHANGE_CHANNEL, createLocalBus, createRedisBus } from '../../src/store/change-bus.js';
import type { ChangeBus, PeerNotice } from '../../src/store/change-bus.js';
import type { ChangeEvent } from '../../src/store/entities.js';
import { REDIS_DEFAULT, serverFromEnv } from '../store/test-databases.js';

const server: BreakerFailure = { kind: 'server', reason: 'upstream 500 server_error: boom' };

interface Node {
  board: BreakerBoard;
  seen: BreakerTransition[];
  stop: () => void;
}

function node(bus: ChangeBus, clock: () => number): Node {
  const board = new BreakerBoard({ clock });
  const seen: BreakerTransition[] = [];
  board.onTransition((t) => seen.push(t));
  return { board, seen, stop: shareBreakers(board, bus) };
}

/** The shared scenario: A opens, B follows; B's probe closes it, A follows. */
async function openAndCloseAcrossNodes(a: Node, b: Node, now: { t: number }, settle: (check: () => void) => Promise<void>) {
  for (let i = 0; i < 5; i++) a.board.onFailure(1, null, server, now.t);
  expect(a.board.allow(1, null, now.t)).toBe(false);
  await settle(() => expect(b.board.allow(1, null, now.t)).toBe(false));
  expect(b.seen).toEqual([expect.objectContaining({ channelId: 1, keyId: null, to: 'open', remote: true })]);
  expect(b.seen[0]!.lastError).toMatchObject({ kind: 'server', reason: server.reason });
  expect(b.board.snapshot(now.t)[0]).toMatchObject({ state: 'open', opened_until: now.t + 30_000 });

  // A key of channel 2 opens on B; A adopts it, the channel stays usable.
  b.board.onFailure(2, 20, { kind: 'key_invalid', reason: 'upstream 401 invalid_api_key' }, now.t);
  await settle(() => expect(a.board.allow(2, 20, now.t)).toBe(false));
  expect(a.board.allow(2, 21, now.t)).toBe(true);

  // After the cooldown B probes and succeeds: both close.
  now.t += 30_000;
  expect(b.board.allow(1, null, now.t)).toBe(true);
  b.board.onSuccess(1, null, now.t);
  await settle(() => expect(a.board.snapshot(now.t).find((s) => s.channel_id === 1)!.state).toBe('closed'));
  expect(a.board.allow(1, null, now.t)).toBe(true);
  // Adopted transitions are never sent back: each board decided exactly one transition of channel 1 and adopted one.
  expect(a.seen.filter((t) => t.channelId === 1).map((t) => [t.to, t.remote])).toEqual([
    ['open', false],
    ['closed', true],
  ]);
  expect(b.seen.filter((t) => t.channelId === 1).map((t) => [t.to, t.remote])).toEqual([
    ['open', true],
    ['closed', false],
  ]);
}

describe('breaker transitions over the local bus', () => {
  it('two boards on one bus open and close together', async () => {
    const bus = createLocalBus();
    const now = { t: 1_700_000_000_000 };
    const a = node(bus, () => now.t);
    const b = node(bus, () => now.t);
    await openAndCloseAcrossNodes(a, b, now, async (check) => check());
    a.stop();
    b.stop();
    await bus.close();
  });

  it('caches never see breaker notices, and notices never carry change events', async () => {
    const bus = createLocalBus();
    const changes: ChangeEvent[] = [];
    const notices: PeerNotice[] = [];
    bus.subscribe((ev) => changes.push(ev));
    bus.onNotice((n) => notices.push(n));
    const a = node(bus, () => 1000);
    for (let i = 0; i < 5; i++) a.board.onFailure(9, null, server, 1000);
    bus.publish({ entity: 'channel', id: 9 });
    expect(changes).toEqual([{ entity: 'channel', id: 9 }]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ topic: BREAKER_TOPIC, data: { origin: a.board.id, channel_id: 9, key_id: null, to: 'open', remaining_ms: 30_000 } });
    await bus.close();
  });

  it('ignores malformed and foreign notices', () => {
    const bus = createLocalBus();
    const a = node(bus, () => 1000);
    const bad: unknown[] = [
      null,
      'open',
      { origin: 'x' },
      { origin: 'x', channel_id: '1', key_id: null, to: 'open', remaining_ms: 5 },
      { origin: 'x', channel_id: 1, key_id: null, to: 'ajar', remaining_ms: 5 },
      { origin: 'x', channel_id: 1, key_id: null, to: 'open', remaining_ms: -5 },
      { origin: 'x', channel_id: 1, key_id: 1.5, to: 'open', remaining_ms: 5 },
      { origin: a.board.id, channel_id: 1, key_id: null, to: 'open', remaining_ms: 5 },
    ];
    for (const data of bad) bus.notify({ topic: BREAKER_TOPIC, data });
    bus.notify({ topic: 'something-else', data: { origin: 'x', channel_id: 1, key_id: null, to: 'open', remaining_ms: 5 } });
    expect(a.seen).toHaveLength(0);
    expect(a.board.allow(1, null, 1001)).toBe(true);
    // A well-formed one is taken, with its remaining time counted from now (clocks of nodes differ).
    bus.notify({ topic: BREAKER_TOPIC, data: { origin: 'x', channel_id: 1, key_id: null, to: 'open', opened_until: 1, remaining_ms: 5000, reopens: 2 } });
    expect(a.board.snapshot(1000)[0]).toMatchObject({ state: 'open', opened_until: 6000, reopens: 2 });
  });
});

const redisUrl = serverFromEnv('WAYSTATION_TEST_REDIS', REDIS_DEFAULT);

if (redisUrl) {
  describe(`breaker transitions over Redis (${redisUrl})`, () => {
    const open: ChangeBus[] = [];
    const channel = `${CHANGE_CHANNEL}:test:${process.pid}:${Math.random().toString(36).slice(2)}`;
    afterEach(async () => {
      for (const bus of open.splice(0)) await bus.close();
    });

    it('two nodes open and close together', async () => {
      const busA = await createRedisBus(redisUrl, { channel, nodeId: 'breaker-a' });
      const busB = await createRedisBus(redisUrl, { channel, nodeId: 'breaker-b' });
      open.push(busA, busB);
      const now = { t: 1_700_000_000_000 };
      const a = node(busA, () => now.t);
      const b = node(busB, () => now.t);
      await openAndCloseAcrossNodes(a, b, now, (check) => vi.waitFor(check, { timeout: 2000 }));
    });

    it('a malformed notice from the wire is dropped, not applied', async () => {
      const errors: unknown[] = [];
      const busB = await createRedisBus(redisUrl, { channel, onError: (e) => errors.push(e) });
      open.push(busB);
      const b = node(busB, () => 1000);
      const raw = new Redis(redisUrl);
      try {
        await raw.publish(channel, JSON.stringify({ node: 'x', notice: { topic: 7 } }));
        await raw.publish(channel, JSON.stringify({ node: 'x', notice: { topic: BREAKER_TOPIC, data: { origin: 'x', channel_id: 'one' } } }));
        await raw.publish(
          channel,
          JSON.stringify({ node: 'x', notice: { topic: BREAKER_TOPIC, data: { origin: 'x', channel_id: 4, key_id: null, to: 'open', remaining_ms: 9000 } } }),
        );
      } finally {
        raw.disconnect();
      }
      await vi.waitFor(() => expect(b.seen).toHaveLength(1), { timeout: 2000 });
      expect(b.seen[0]).toMatchObject({ channelId: 4, to: 'open', remote: true });
      expect(errors).toHaveLength(1); // the topic-less message
    });
  });
} else {
  describe.skip('breaker transitions over Redis (set WAYSTATION_TEST_REDIS to run)', () => {
    it('two nodes open and close together', () => {});
  });
}
