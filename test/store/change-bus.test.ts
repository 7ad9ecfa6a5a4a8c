import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANGE_CHANNEL, createLocalBus, createRedisBus } from '../../src/store/change-bus.js';
import type { ChangeBus } from '../../src/store/change-bus.js';
import type { ChangeEvent } from '../../src/store/entities.js';
import { REDIS_DEFAULT, serverFromEnv } from './test-databases.js';

describe('local change bus', () => {
  it('delivers at once to every subscriber until it unsubscribes', async () => {
    const bus = createLocalBus();
    const a: ChangeEvent[] = [];
    const b: ChangeEvent[] = [];
    const offA = bus.subscribe((ev) => a.push(ev));
    bus.subscribe((ev) => b.push(ev));
    bus.publish({ entity: 'token', id: 1 });
    expect(a).toEqual([{ entity: 'token', id: 1 }]);
    offA();
    bus.publish({ entity: 'price', id: 'm' });
    expect(a).toHaveLength(1);
    expect(b).toEqual([{ entity: 'token', id: 1 }, { entity: 'price', id: 'm' }]);
    await bus.close();
  });

  it('a throwing subscriber neither breaks publish nor starves the others', () => {
    const errors: unknown[] = [];
    const bus = createLocalBus({ onError: (e) => errors.push(e) });
    const got: ChangeEvent[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((ev) => got.push(ev));
    expect(() => bus.publish({ entity: 'all' })).not.toThrow();
    expect(got).toEqual([{ entity: 'all' }]);
    expect(errors).toHaveLength(1);
  });
});

const redisUrl = serverFromEnv('WAYSTATION_TEST_REDIS', REDIS_DEFAULT);

if (redisUrl) {
  describe(`redis change bus (${redisUrl})`, () => {
    const open: ChangeBus[] = [];
    // A channel of its own, so parallel runs on one Redis do not hear each other.
    const channel = `${CHANGE_CHANNEL}:test:${process.pid}:${Math.random().toString(36).slice(2)}`;
    afterEach(async () => {
      for (const bus of open.splice(0)) await bus.close();
    });

    it('a publish on node A reaches node B, and A hears itself once', async () => {
      const a = await createRedisBus(redisUrl, { channel, nodeId: 'node-a' });
      const b = await createRedisBus(redisUrl, { channel, nodeId: 'node-b' });
      open.push(a, b);
      const onA: ChangeEvent[] = [];
      const onB: ChangeEvent[] = [];
      a.subscribe((ev) => onA.push(ev));
      b.subscribe((ev) => onB.push(ev));
      a.publish({ entity: 'token', id: 7 });
      expect(onA).toEqual([{ entity: 'token', id: 7 }]); // local delivery is synchronous
      await vi.waitFor(() => expect(onB).toEqual([{ entity: 'token', id: 7 }]), { timeout: 2000 });
      b.publish({ entity: 'price', id: 'gpt-x' });
      await vi.waitFor(() => expect(onA).toContainEqual({ entity: 'price', id: 'gpt-x' }), { timeout: 2000 });
      // Give any echo time to arrive, then check nothing was applied twice.
      await new Promise((r) => setTimeout(r, 100));
      expect(onA).toEqual([{ entity: 'token', id: 7 }, { entity: 'price', id: 'gpt-x' }]);
      expect(onB).toEqual([{ entity: 'token', id: 7 }, { entity: 'price', id: 'gpt-x' }]);
    });

    it('after losing its Redis connection a node reloads everything and hears others again', async () => {
      const nodeB = `node-b-${process.pid}-${Math.random().toString(36).slice(2)}`;
      const a = await createRedisBus(redisUrl, { channel });
      const b = await createRedisBus(redisUrl, { channel, nodeId: nodeB, onError: () => {} });
      open.push(a, b);
      const onB: ChangeEvent[] = [];
      b.subscribe((ev) => onB.push(ev));
      const admin = new Redis(redisUrl);
      try {
        const clients = String(await admin.client('LIST'));
        const line = clients.split('\n').find((l) => l.includes(`name=waystation-sub-${nodeB}`));
        const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
        expect(id).toBeDefined();
        await admin.client('KILL', 'ID', id!);
      } finally {
        admin.disconnect();
      }
      // Missed messages are unknowable: the node is told to reload everything.
      await vi.waitFor(() => expect(onB).toContainEqual({ entity: 'all' }), { timeout: 5000 });
      await vi.waitFor(
        async () => {
          a.publish({ entity: 'group', id: 99 });
          await new Promise((r) => setTimeout(r, 50));
          expect(onB).toContainEqual({ entity: 'group', id: 99 });
        },
        { timeout: 5000 },
      );
    });

    it('ignores malformed messages', async () => {
      const errors: unknown[] = [];
      const b = await createRedisBus(redisUrl, { channel, onError: (e) => errors.push(e) });
      open.push(b);
      const onB: ChangeEvent[] = [];
      b.subscribe((ev) => onB.push(ev));
      const raw = new Redis(redisUrl);
      try {
        await raw.publish(channel, 'not json');
        await raw.publish(channel, JSON.stringify({ node: 'x', ev: { entity: 'nope' } }));
        await raw.publish(channel, JSON.stringify({ node: 'x', ev: { entity: 'user', id: 3 } }));
      } finally {
        raw.disconnect();
      }
      await vi.waitFor(() => expect(onB).toEqual([{ entity: 'user', id: 3 }]), { timeout: 2000 });
      expect(errors).toHaveLength(2);
    });
  });
} else {
  describe.skip('redis change bus (set WAYSTATION_TEST_REDIS to run)', () => {
    it('delivers between two nodes through Redis pub/sub', () => {});
  });
}
