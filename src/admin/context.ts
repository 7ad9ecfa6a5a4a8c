// What every management route gets: the store, the cache, the price book,
// the provider registry (channel tests), and the caller resolved by the auth hook.
import type { FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { ProviderRegistry } from '../providers/registry.js';
import type { BreakerSnapshot } from '../routing/circuit-breaker.js';
import type { StoreCache } from '../store/cache.js';
import type { Database } from '../store/db.js';
import type { ModelPrice, User } from '../store/entities.js';
import type { Repositories } from '../store/repositories.js';
import { unauthorized } from './envelope.js';

export interface AdminDeps {
  repos: Repositories;
  cache: StoreCache;
  database: Database;
  /** The built-in price book; without it the price list holds only overrides. */
  prices?: { builtin(): Record<string, ModelPrice> };
  /**
   * Providers for `POST /api/channels/{id}/test`. Pass the gateway's registry
   * so simulator channels without a base_url reach the in-process simulator.
   */
  providers?: ProviderRegistry;
  /** Clock (epoch ms); tests may pin it. */
  now?: () => number;
  /** Live circuit-breaker state, shown with each channel. */
  breakers?: BreakerView;
  /** A channel's dispatcher (its proxy, its connect timeout) for channel tests; else undici's global one. */
  dispatcherFor?: (settings: Record<string, unknown>) => Dispatcher;
}

/** What the management API reads of the relay's circuit breakers. */
export interface BreakerView {
  snapshot(): BreakerSnapshot[];
  snapshotChannel(channelId: number): BreakerSnapshot[];
}

export interface AdminContext {
  repos: Repositories;
  cache: StoreCache;
  database: Database;
  builtinPrices(): Record<string, ModelPrice>;
  providers: ProviderRegistry;
  now(): number;
  breakers: BreakerView;
  dispatcherFor?: (settings: Record<string, unknown>) => Dispatcher;
}

const actors = new WeakMap<FastifyRequest, User>();

export function setActor(req: FastifyRequest, user: User): void {
  actors.set(req, user);
}

/** The authenticated caller; the scope's auth hook set it before any handler runs. */
export function actorOf(req: FastifyRequest): User {
  const user = actors.get(req);
  if (!user) throw unauthorized('not authenticated');
  return user;
}
