// The repository contract: everything the rest of the gateway may ask of the
// database. Implementations live in ./repos/; every mutation publishes a
// ChangeEvent so caches on every node reload what changed.
import type { Channel, Group, ImageOutputMode, ModelPrice, Price, RateLimits, Role, Token, User } from './entities.js';
import type { NewUsageLog, UsageDailyRow, UsageLogRow } from './schema.js';

export interface UserInput {
  name: string;
  displayName?: string;
  role?: Role;
  group?: string;
  balanceMicros?: number;
  status?: 'enabled' | 'disabled';
  /** Replaces all three limits when given; an absent (or null) field = no limit; null = none at all. */
  limits?: RateLimits | null;
}

export interface UsersRepo {
  get(id: number): Promise<User | undefined>;
  byName(name: string): Promise<User | undefined>;
  /** The user whose management access key hashes to this (sha256 hex). */
  byAccessKeyHash(hash: string): Promise<User | undefined>;
  list(opts?: { offset?: number; limit?: number; keyword?: string }): Promise<{ items: User[]; total: number }>;
  create(input: UserInput): Promise<User>;
  update(id: number, patch: Partial<UserInput>): Promise<User>;
  /** Insert or update by name (config apply). */
  upsertByName(input: UserInput): Promise<User>;
  /** Sets (or replaces) the user's management access key; stores hash + encrypted copy. */
  setAccessKey(id: number, key: string): Promise<void>;
  delete(id: number): Promise<void>;
}

export interface GroupInput {
  name: string;
  ratio?: number;
  description?: string;
}

export interface GroupsRepo {
  list(): Promise<Group[]>;
  byName(name: string): Promise<Group | undefined>;
  upsert(input: GroupInput): Promise<Group>;
  delete(name: string): Promise<void>;
}

export interface TokenInput {
  userId: number;
  name: string;
  /** Plain key; generated (`sk-` + 48 chars) when absent. */
  key?: string;
  status?: Token['status'];
  unlimited?: boolean;
  quotaMicros?: number;
  models?: string[] | null;
  allowIps?: string[] | null;
  group?: string | null;
  expiresAt?: number | null;
  /** Replaces all three limits when given; an absent (or null) field = no limit; null = none at all. */
  limits?: RateLimits | null;
  /** null = unset (the channel's or gateway's choice). */
  imageOutput?: ImageOutputMode | null;
}

export interface TokensRepo {
  get(id: number): Promise<Token | undefined>;
  byHash(keyHash: string): Promise<Token | undefined>;
  list(opts?: { userId?: number; keyword?: string; offset?: number; limit?: number }): Promise<{ items: Token[]; total: number }>;
  /** Returns the token and its plain key (the only time it is handed out unasked). */
  create(input: TokenInput): Promise<{ token: Token; key: string }>;
  update(id: number, patch: Partial<Omit<TokenInput, 'userId' | 'key'>>): Promise<Token>;
  /** Insert or update by (userId, name); a given key replaces the stored one. Config apply. */
  upsertByName(input: TokenInput): Promise<{ token: Token; key: string | undefined }>;
  /** Decrypts the stored copy for its owner. */
  revealKey(id: number): Promise<string>;
  delete(id: number): Promise<void>;
}

export interface ChannelInput {
  name: string;
  type: string;
  baseUrl: string;
  /** Plain upstream keys, in order; encrypted before they are stored. */
  keys: string[];
  models: string[];
  modelMapping?: Record<string, string>;
  groups?: string[];
  priority?: number;
  weight?: number;
  status?: Channel['status'];
  statusReason?: string | null;
  settings?: Record<string, unknown>;
}

export interface ChannelsRepo {
  get(id: number): Promise<Channel | undefined>;
  list(): Promise<Channel[]>;
  create(input: ChannelInput): Promise<Channel>;
  /** `keys`, when given, replaces the key list (kept keys keep their id and status). */
  update(id: number, patch: Partial<ChannelInput>): Promise<Channel>;
  upsertByName(input: ChannelInput): Promise<Channel>;
  setStatus(id: number, status: Channel['status'], reason: string | null): Promise<void>;
  /**
   * `onlyFrom`: change the key only while its status is this one (setting a
   * failed key aside once, whichever node sees the failure first); nothing is
   * written or published when it is not.
   */
  setKeyStatus(keyId: number, status: Channel['status'], reason: string | null, onlyFrom?: Channel['status']): Promise<void>;
  delete(id: number): Promise<void>;
}

export interface PricesRepo {
  list(): Promise<Price[]>;
  get(model: string): Promise<Price | undefined>;
  upsert(model: string, price: ModelPrice, source: Price['source']): Promise<Price>;
  delete(model: string): Promise<void>;
}

export interface UsageLogQuery {
  tokenId?: number;
  userId?: number;
  model?: string;
  channelId?: number;
  status?: number;
  from?: number; // epoch ms, inclusive
  to?: number; // epoch ms, exclusive
  offset?: number;
  limit?: number;
}

export type UsageDailyKey = 'day' | 'token_id' | 'user_id' | 'model' | 'channel_id';

export interface UsageDailyQuery {
  /** 'YYYY-MM-DD' (UTC), inclusive. */
  from?: string;
  /** 'YYYY-MM-DD' (UTC), inclusive. */
  to?: string;
  tokenId?: number;
  userId?: number;
  model?: string;
  channelId?: number;
  /**
   * Sum over the keys left out: e.g. ['day'] gives one row per day, [] one
   * row in all. Default: every key (the stored rows). Keys left out read as
   * their "none" value ('' / 0) in the result.
   */
  groupBy?: UsageDailyKey[];
}

export interface UsageLogsRepo {
  /**
   * Inserts the rows AND applies the money they record, in ONE transaction:
   * tokens.used_micros += Σcost and last_used_at per token; users.used_micros
   * += Σcost and (except root) balance_micros -= Σcost; usage_daily += the
   * rows' counts. Either all of it lands or none of it does. After commit,
   * publishes (throttled: at most once a second per entity) a ChangeEvent for
   * each token and user that was charged, so caches catch up.
   */
  insertMany(rows: NewUsageLog[]): Promise<void>;
  query(q: UsageLogQuery): Promise<{ items: UsageLogRow[]; total: number }>;
  /** Deletes rows older than the cutoff, in slices that let requests run between; returns how many. */
  pruneBefore(cutoffMs: number): Promise<number>;
  /** Daily rollups, oldest day first. */
  daily(q: UsageDailyQuery): Promise<UsageDailyRow[]>;
  /** Deletes rollups of days before `day` ('YYYY-MM-DD'); returns how many. */
  pruneDailyBefore(day: string): Promise<number>;
}

export interface Repositories {
  users: UsersRepo;
  groups: GroupsRepo;
  tokens: TokensRepo;
  channels: ChannelsRepo;
  prices: PricesRepo;
  usageLogs: UsageLogsRepo;
}
