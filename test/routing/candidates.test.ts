// Candidate order: priority tiers first, weighted random within a tier.
import { describe, expect, it } from 'vitest';
import { CandidateIndex } from '../../src/routing/candidates.js';
import type { Channel } from '../../src/store/entities.js';

function channel(id: number, priority: number, weight: number, extra: Partial<Channel> = {}): Channel {
  return {
    id,
    name: `ch-${id}`,
    type: 'openai',
    baseUrl: 'http://upstream.test',
    models: ['gpt-4o'],
    modelMapping: {},
    groups: ['default'],
    priority,
    weight,
    status: 'enabled',
    statusReason: null,
    settings: {},
    keys: [],
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  };
}

/** A seeded PRNG (mulberry32): the statistics are real, the run is repeatable. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const query = { group: 'default', model: 'gpt-4o', speaks: () => true };

function firstPicks(index: CandidateIndex, picks: number, random: () => number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < picks; i++) {
    const first = index.candidates(query, random)[0]!.channel.id;
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return counts;
}

/** Within 4.5 standard deviations of n·p: fails for a wrong weighting, essentially never by chance. */
function expectShare(count: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p)).toBeLessThanOrEqual(4.5 * sd);
}

describe('CandidateIndex weights', () => {
  it('1,000 picks within a tier follow the weights 1:3:6', () => {
    const index = new CandidateIndex();
    index.rebuild([channel(1, 10, 1), channel(2, 10, 3), channel(3, 10, 6), channel(4, 0, 100)]);
    for (const seed of [1, 2, 3]) {
      const counts = firstPicks(index, 1000, seeded(seed));
      expect(counts.get(4)).toBeUndefined(); // the lower tier is never first
      expectShare(counts.get(1) ?? 0, 1000, 0.1);
      expectShare(counts.get(2) ?? 0, 1000, 0.3);
      expectShare(counts.get(3) ?? 0, 1000, 0.6);
    }
  });

  it('the same holds with Math.random', () => {
    const index = new CandidateIndex();
    index.rebuild([channel(1, 0, 1), channel(2, 0, 4)]);
    const counts = firstPicks(index, 1000, Math.random);
    expectShare(counts.get(1) ?? 0, 1000, 0.2);
    expectShare(counts.get(2) ?? 0, 1000, 0.8);
  });

  it('a uniform weighting would fail the tolerance (the check has teeth)', () => {
    expect(() => expectShare(333, 1000, 0.1)).toThrow();
    expect(() => expectShare(500, 1000, 0.6)).toThrow();
  });

  it('the order after the first pick is weighted among those left, every channel once, tiers in order', () => {
    const index = new CandidateIndex();
    index.rebuild([channel(1, 5, 1), channel(2, 5, 3), channel(3, 5, 6), channel(4, 1, 1), channel(5, 9, 1)]);
    const random = seeded(42);
    let secondIs1WhenFirstIs3 = 0;
    let firstIs3 = 0;
    for (let i = 0; i < 1000; i++) {
      const order = index.candidates(query, random).map((c) => c.channel.id);
      expect(order[0]).toBe(5);
      expect(order[4]).toBe(4);
      expect(new Set(order).size).toBe(5);
      expect(order.slice(1, 4).sort()).toEqual([1, 2, 3]);
      if (order[1] === 3) {
        firstIs3++;
        if (order[2] === 1) secondIs1WhenFirstIs3++;
      }
    }
    // With 3 gone, 1 and 2 weigh 1:3.
    expectShare(secondIs1WhenFirstIs3, firstIs3, 0.25);
  });

  it('weight 0 comes last in its tier; a broken weight counts as 0 instead of spoiling the tier', () => {
    const index = new CandidateIndex();
    index.rebuild([channel(1, 0, 0), channel(2, 0, Number.NaN), channel(3, 0, 1), channel(4, 0, 9), channel(5, 0, -3)]);
    const random = seeded(7);
    const counts = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const order = index.candidates(query, random).map((c) => c.channel.id);
      expect(order.slice(2).sort()).toEqual([1, 2, 5]);
      counts.set(order[0]!, (counts.get(order[0]!) ?? 0) + 1);
    }
    expectShare(counts.get(3) ?? 0, 1000, 0.1);
    expectShare(counts.get(4) ?? 0, 1000, 0.9);
  });

  it('a tier of weight-0 channels is served in uniform random order', () => {
    const index = new CandidateIndex();
    index.rebuild([channel(1, 0, 0), channel(2, 0, 0)]);
    const counts = firstPicks(index, 1000, seeded(9));
    expectShare(counts.get(1) ?? 0, 1000, 0.5);
  });
});

describe('CandidateIndex lookups', () => {
  it('maps the model per channel; a model named like an Object property is not "mapped"', () => {
    const index = new CandidateIndex();
    index.rebuild([
      channel(1, 0, 1, { models: ['constructor'], modelMapping: { 'nano-banana': 'gemini-2.5-flash-image' } }),
      channel(2, 0, 1, { status: 'disabled', models: ['constructor'] }),
    ]);
    expect(index.candidates({ ...query, model: 'nano-banana' }).map((c) => c.upstreamModel)).toEqual(['gemini-2.5-flash-image']);
    expect(index.candidates({ ...query, model: 'constructor' }).map((c) => [c.channel.id, c.upstreamModel])).toEqual([[1, 'constructor']]);
    expect(index.candidates({ ...query, model: 'gpt-4o' })).toEqual([]);
    expect(index.candidates({ ...query, group: 'vip', model: 'constructor' })).toEqual([]);
  });
});
