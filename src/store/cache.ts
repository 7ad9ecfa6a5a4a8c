// The in-memory copy of everything the hot path reads (users, groups, tokens,
// channels with decrypted keys, prices), so a request does no database round
// trip. It reloads exactly what each ChangeEvent names, in order, one reload
// at a time, plus a periodic full refresh in case a message was missed.
import type { ChangeBus } from './change-bus.js';
import type { SecretBox } from './crypto.js';
import type { Database } from './db.js';
import type { Channel, ChangeEvent, Group, Price, Token, User } from './entities.js';
import { CacheLoader } from './cache-loader.js';
import type { CachedUser } from './cache-loader.js';

export interface StoreCacheOptions {
  /** Full reload period in ms (default 60 000; 0 = never). */
  refreshIntervalMs?: number;
  /** A reload failed (old data is kept); default: one line on stderr. */
  onError?: (err: unknown) => void;
}

type Entity = Exclude<ChangeEvent['entity'], 'all'>;

export class StoreCache {
  readonly #loader: CacheLoader;
  readonly #bus: ChangeBus;
  readonly #refreshMs: number;
  readonly #onError: (err: unknown) => void;

  #users = new Map<number, CachedUser>();
  #userByAccessHash = new Map<string, number>();
  #groups = new Map<number, Group>();
  #groupByName = new Map<string, number>();
  #tokens = new Map<number, Token>();
  #tokenByHash = new Map<string, number>();
  #channels = new Map<number, Channel>();
  #channelList: readonly Channel[] = [];
  #prices = new Map<string, Price>();
  #priceList: readonly Price[] = [];

  /** Reloads waiting to run, coalesced by "entity:id" ("entity:*" = whole table). */
  readonly #pending = new Map<string, ChangeEvent>();
  #tail: Promise<void> = Promise.resolve();
  #drainScheduled = false;
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #listeners = new Set<(ev: ChangeEvent) => void>();

  /** Bumped after every applied change: cheap "did anything change?" for derived indexes. */
  version = 0;

  constructor(database: Database, box: SecretBox, bus: ChangeBus, opts: StoreCacheOptions = {}) {
    this.#loader = new CacheLoader(database, box);
    this.#bus = bus;
    this.#refreshMs = opts.refreshIntervalMs ?? 60_000;
    this.#onError =
      opts.onError ?? ((err) => console.error(`[waystation] cache reload failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** Loads everything; rejects (e.g. wrong WAYSTATION_SECRET, database down) so start-up can fail loudly. */
  async start(): Promise<void> {
    this.#stopped = false;
    // Subscribe first: events that arrive during the initial load queue behind it.
    this.#unsubscribe ??= this.#bus.subscribe((ev) => this.#enqueue(ev));
    const initial = this.#tail.then(() => this.#loadAll());
    this.#tail = initial.catch(() => {});
    await initial;
    this.#changed({ entity: 'all' });
    if (this.#refreshMs > 0 && !this.#timer) {
      this.#timer = setInterval(() => this.#enqueue({ entity: 'all' }), this.#refreshMs);
      this.#timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
    await this.settled();
  }

  /** Resolves once every change received so far has been applied. */
  async settled(): Promise<void> {
    let tail: Promise<void>;
    do {
      tail = this.#tail;
      await tail;
    } while (tail !== this.#tail);
  }

  /** Called after each applied change (and once after start); returns the unsubscribe function. */
  onChange(fn: (ev: ChangeEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  }

  // ---- synchronous lookups for the hot path ----

  tokenByHash(hash: string): Token | undefined {
    const id = this.#tokenByHash.get(hash);
    return id === undefined ? undefined : this.#tokens.get(id);
  }
  token(id: number): Token | undefined {
    return this.#tokens.get(id);
  }
  user(id: number): User | undefined {
    return this.#users.get(id)?.user;
  }
  userByAccessKeyHash(hash: string): User | undefined {
    const id = this.#userByAccessHash.get(hash);
    return id === undefined ? undefined : this.#users.get(id)?.user;
  }
  group(name: string): Group | undefined {
    const id = this.#groupByName.get(name);
    return id === undefined ? undefined : this.#groups.get(id);
  }
  groups(): Group[] {
    return [...this.#groups.values()];
  }
  /** All channels, by id; the same array until channels change. */
  channels(): readonly Channel[] {
    return this.#channelList;
  }
  channel(id: number): Channel | undefined {
    return this.#channels.get(id);
  }
  price(model: string): Price | undefined {
    return this.#prices.get(model);
  }
  /** All prices; the same array until prices change. */
  prices(): readonly Price[] {
    return this.#priceList;
  }

  // ---- change handling ----

  #enqueue(ev: ChangeEvent): void {
    if (this.#stopped) return;
    if (ev.entity === 'all') {
      this.#pending.clear();
      this.#pending.set('all', ev);
    } else if (!this.#pending.has('all') && !this.#pending.has(`${ev.entity}:*`)) {
      if (ev.id === undefined) {
        for (const key of [...this.#pending.keys()]) if (key.startsWith(`${ev.entity}:`)) this.#pending.delete(key);
        this.#pending.set(`${ev.entity}:*`, ev);
      } else {
        this.#pending.set(`${ev.entity}:${ev.id}`, ev);
      }
    }
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    this.#tail = this.#tail.then(() => this.#drain());
  }

  async #drain(): Promise<void> {
    this.#drainScheduled = false;
    while (this.#pending.size > 0) {
      const [key, ev] = this.#pending.entries().next().value as [string, ChangeEvent];
      this.#pending.delete(key);
      try {
        await this.#apply(ev);
      } catch (err) {
        this.#onError(err);
        continue;
      }
      this.#changed(ev);
    }
  }

  #changed(ev: ChangeEvent): void {
    this.version++;
    for (const fn of [...this.#listeners]) {
      try {
        fn(ev);
      } catch (err) {
        this.#onError(err);
      }
    }
  }

  async #apply(ev: ChangeEvent): Promise<void> {
    if (ev.entity === 'all') return this.#loadAll();
    if (ev.id === undefined) return this.#loadTable(ev.entity);
    if (ev.entity === 'price') return this.#reloadPrice(String(ev.id));
    const id = Number(ev.id);
    if (!Number.isSafeInteger(id)) return this.#loadTable(ev.entity);
    switch (ev.entity) {
      case 'user':
        return this.#reloadUser(id);
      case 'group':
        return this.#reloadGroup(id);
      case 'token':
        return this.#reloadToken(id);
      case 'channel':
        return this.#reloadChannel(id);
    }
  }

  async #loadAll(): Promise<void> {
    // Read everything first, then swap: a failure leaves the old copy whole.
    const [users, groups, tokens, channels, prices] = await Promise.all([
      this.#loader.users(),
      this.#loader.groups(),
      this.#loader.tokens(),
      this.#loader.channels(),
      this.#loader.prices(),
    ]);
    this.#setUsers(users);
    this.#setGroups(groups);
    this.#setTokens(tokens);
    this.#setChannels(channels);
    this.#setPrices(prices);
  }

  async #loadTable(entity: Entity): Promise<void> {
    switch (entity) {
      case 'user':
        return this.#setUsers(await this.#loader.users());
      case 'group':
        return this.#setGroups(await this.#loader.groups());
      case 'token':
        return this.#setTokens(await this.#loader.tokens());
      case 'channel':
        return this.#setChannels(await this.#loader.channels());
      case 'price':
        return this.#setPrices(await this.#loader.prices());
    }
  }

  #setUsers(list: CachedUser[]): void {
    this.#users = new Map(list.map((u) => [u.user.id, u]));
    this.#userByAccessHash = new Map(list.filter((u) => u.accessKeyHash).map((u) => [u.accessKeyHash as string, u.user.id]));
  }
  #setGroups(list: Group[]): void {
    this.#groups = new Map(list.map((g) => [g.id, g]));
    this.#groupByName = new Map(list.map((g) => [g.name, g.id]));
  }
  #setTokens(list: Token[]): void {
    this.#tokens = new Map(list.map((t) => [t.id, t]));
    this.#tokenByHash = new Map(list.map((t) => [t.keyHash, t.id]));
  }
  #setChannels(list: Channel[]): void {
    this.#channels = new Map(list.map((c) => [c.id, c]));
    this.#channelList = Object.freeze([...this.#channels.values()].sort((a, b) => a.id - b.id));
  }
  #setPrices(list: Price[]): void {
    this.#prices = new Map(list.map((p) => [p.model, p]));
    this.#priceList = Object.freeze([...this.#prices.values()]);
  }

  async #reloadUser(id: number): Promise<void> {
    const [fresh] = await this.#loader.users(id);
    const old = this.#users.get(id);
    if (old?.accessKeyHash) this.#userByAccessHash.delete(old.accessKeyHash);
    if (!fresh) return void this.#users.delete(id);
    this.#users.set(id, fresh);
    if (fresh.accessKeyHash) this.#userByAccessHash.set(fresh.accessKeyHash, id);
  }

  async #reloadGroup(id: number): Promise<void> {
    const [fresh] = await this.#loader.groups(id);
    const old = this.#groups.get(id);
    if (old && this.#groupByName.get(old.name) === id) this.#groupByName.delete(old.name);
    if (!fresh) return void this.#groups.delete(id);
    this.#groups.set(id, fresh);
    this.#groupByName.set(fresh.name, id);
  }

  async #reloadToken(id: number): Promise<void> {
    const [fresh] = await this.#loader.tokens(id);
    const old = this.#tokens.get(id);
    if (old && this.#tokenByHash.get(old.keyHash) === id) this.#tokenByHash.delete(old.keyHash);
    if (!fresh) return void this.#tokens.delete(id);
    this.#tokens.set(id, fresh);
    this.#tokenByHash.set(fresh.keyHash, id);
  }

  async #reloadChannel(id: number): Promise<void> {
    const [fresh] = await this.#loader.channels(id);
    const next = new Map(this.#channels);
    if (fresh) next.set(id, fresh);
    else next.delete(id);
    this.#setChannels([...next.values()]);
  }

  async #reloadPrice(model: string): Promise<void> {
    const [fresh] = await this.#loader.prices(model);
    const next = new Map(this.#prices);
    if (fresh) next.set(model, fresh);
    else next.delete(model);
    this.#setPrices([...next.values()]);
  }
}
