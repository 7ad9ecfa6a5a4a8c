import type { DialectName } from '../dialects/types.js';
import type { Channel } from '../store/entities.js';

export interface Candidate {
  channel: Channel;
  /** The model name to send upstream (after the channel's mapping). */
  upstreamModel: string;
}

export interface CandidateQuery {
  group: string;
  model: string;
  /** Only channels whose provider speaks one of these natively. */
  speaks: (channelType: string) => boolean;
}

/**
 * Candidate channels for group × model, indexed once per change of the channel
 * set so the request path does a map lookup, not a scan.
 */
export class CandidateIndex {
  private byGroupModel = new Map<string, Channel[]>();
  private models = new Set<string>();

  rebuild(channels: Iterable<Channel>): void {
    const index = new Map<string, Channel[]>();
    const models = new Set<string>();
    for (const ch of channels) {
      if (ch.status !== 'enabled') continue;
      const served = new Set([...ch.models, ...Object.keys(ch.modelMapping)]);
      for (const model of served) {
        models.add(model);
        for (const group of ch.groups.length ? ch.groups : ['default']) {
          const k = `${group}\u0000${model}`;
          const list = index.get(k);
          if (list) list.push(ch);
          else index.set(k, [ch]);
        }
      }
    }
    this.byGroupModel = index;
    this.models = models;
  }

  /** Every model some enabled channel serves, for any group. */
  allModels(): ReadonlySet<string> {
    return this.models;
  }

  /** Models served to one group. */
  modelsForGroup(group: string): string[] {
    const prefix = `${group}\u0000`;
    const out: string[] = [];
    for (const k of this.byGroupModel.keys()) if (k.startsWith(prefix)) out.push(k.slice(prefix.length));
    return out.sort();
  }

  /** Channels that serve the model to the group, before dialect filtering. */
  channelsFor(group: string, model: string): readonly Channel[] {
    return this.byGroupModel.get(`${group}\u0000${model}`) ?? [];
  }

  /**
   * Attempt order: highest priority tier first; within a tier a weighted random
   * order (each pick proportional to weight, without replacement).
   */
  candidates(q: CandidateQuery, random: () => number = Math.random): Candidate[] {
    const channels = this.channelsFor(q.group, q.model).filter((c) => q.speaks(c.type));
    if (channels.length === 0) return [];
    if (channels.length === 1) return [{ channel: channels[0]!, upstreamModel: upstreamModelOf(channels[0]!, q.model) }];
    const tiers = new Map<number, Channel[]>();
    for (const ch of channels) {
      const tier = tiers.get(ch.priority);
      if (tier) tier.push(ch);
      else tiers.set(ch.priority, [ch]);
    }
    const ordered: Candidate[] = [];
    for (const priority of [...tiers.keys()].sort((a, b) => b - a)) {
      for (const ch of weightedOrder(tiers.get(priority)!, random)) ordered.push({ channel: ch, upstreamModel: upstreamModelOf(ch, q.model) });
    }
    return ordered;
  }
}

/** The name the channel's mapping gives the model, else the model itself. */
function upstreamModelOf(ch: Channel, model: string): string {
  const mapped = Object.hasOwn(ch.modelMapping, model) ? ch.modelMapping[model] : undefined;
  return typeof mapped === 'string' && mapped !== '' ? mapped : model;
}

/** A usable weight: a non-finite or negative one (bad data) counts as 0 instead of poisoning the tier's total. */
function weightOf(ch: Channel): number {
  return Number.isFinite(ch.weight) && ch.weight > 0 ? ch.weight : 0;
}

/**
 * Each pick proportional to weight among the channels not yet picked; weight-0
 * channels come after the weighted ones, in random order.
 */
function weightedOrder(channels: Channel[], random: () => number): Channel[] {
  if (channels.length === 1) return channels;
  const pool = channels.slice();
  const out: Channel[] = [];
  while (pool.length > 0) {
    let total = 0;
    for (const c of pool) total += weightOf(c);
    let idx: number;
    if (total > 0) {
      let r = random() * total;
      idx = pool.findIndex((c) => weightOf(c) > 0 && (r -= weightOf(c)) < 0);
      // random() just under 1 with rounding: the last weighted channel.
      if (idx < 0) idx = pool.findLastIndex((c) => weightOf(c) > 0);
    } else {
      idx = Math.min(pool.length - 1, Math.floor(random() * pool.length));
    }
    out.push(pool.splice(idx, 1)[0]!);
  }
  return out;
}
