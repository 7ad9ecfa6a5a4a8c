// Table shapes shared by every database backend (SQLite, PostgreSQL, MySQL).
//
// Portable conventions, so one query layer serves all three:
// - money is integer micro-dollars (1 USD = 1_000_000), stored as BIGINT;
// - timestamps are epoch milliseconds, stored as BIGINT;
// - booleans are 0/1 integers;
// - lists and maps are JSON text (parsed by the repositories, never by callers).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Id = Generated<number>;
/** JSON stored as text; repositories parse and stringify. */
type JsonText = string;

export interface UsersTable {
  id: Id;
  name: string; // unique login / config name
  display_name: string;
  role: 'root' | 'admin' | 'user';
  group_name: string;
  balance_micros: number; // what is left to spend; ignored for root
  used_micros: ColumnType<number, number | undefined, number>;
  /** sha256 hex of the user's access key for the management API; null = none. */
  access_key_hash: string | null;
  access_key_enc: string | null;
  status: 'enabled' | 'disabled';
  /** Rate limits (RateLimits in entities.ts); null = no limit. */
  rpm_limit: number | null;
  tpm_limit: number | null;
  concurrency_limit: number | null;
  created_at: number;
  updated_at: number;
}

export interface GroupsTable {
  id: Id;
  name: string; // unique
  ratio: number; // price multiplier, 1 = list price
  description: string;
  created_at: number;
  updated_at: number;
}

export interface TokensTable {
  id: Id;
  user_id: number;
  name: string;
  /** sha256 hex of the full key: lookup needs no plaintext. Unique. */
  key_hash: string;
  /** The key encrypted with WAYSTATION_SECRET, so its owner can reveal it. */
  key_enc: string;
  /** Shown in lists: e.g. "sk-abcd…wxyz". */
  key_mask: string;
  status: 'enabled' | 'disabled' | 'exhausted' | 'expired';
  unlimited: number; // 0 | 1
  quota_micros: number;
  used_micros: ColumnType<number, number | undefined, number>;
  models: JsonText | null; // string[] allow-list, null = all
  allow_ips: JsonText | null; // CIDR[] allow-list, null = any
  group_name: string | null; // null = the user's group
  expires_at: number | null;
  last_used_at: number | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  concurrency_limit: number | null;
  /** 'images' | 'markdown' | 'both' | 'url'; null = the channel's or gateway's choice. */
  image_output: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: number;
  updated_at: number;
}

export interface ChannelsTable {
  id: Id;
  name: string; // unique
  type: string; // gemini | openai | anthropic | openai-compatible | vertex | simulator
  base_url: string;
  models: JsonText; // string[]
  model_mapping: JsonText; // Record<string, string>
  groups: JsonText; // string[]
  priority: number;
  weight: number;
  status: 'enabled' | 'disabled' | 'auto_disabled';
  status_reason: string | null;
  /** Everything else a channel can carry (overrides, timeouts, proxy, test model…). */
  settings: JsonText; // Record<string, unknown>
  created_at: number;
  updated_at: number;
}

export interface ChannelKeysTable {
  id: Id;
  channel_id: number;
  /** Upstream key encrypted at rest with WAYSTATION_SECRET. */
  key_enc: string;
  /** sha256 hex of the plaintext, to match keys idempotently without decrypting. */
  key_hash: string;
  position: number; // order within the channel
  status: 'enabled' | 'disabled' | 'auto_disabled';
  status_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface PricesTable {
  id: Id;
  model: string; // unique
  /** ModelPrice as JSON: USD per million tokens by kind, per image by size, per call. */
  data: JsonText;
  source: 'config' | 'api';
  created_at: number;
  updated_at: number;
}

export interface UsageLogsTable {
  id: Id;
  request_id: string;
  created_at: number;
  token_id: number | null;
  user_id: number | null;
  token_name: string | null;
  route: string; // e.g. "gemini.generateContent", "openai.chat"
  model_requested: string | null;
  model_served: string | null;
  channel_id: number | null; // the channel that answered (last tried)
  attempts: JsonText | null; // [{channel_id, status, error?, ms}]
  status: number; // HTTP status returned to the client
  error: string | null;
  is_stream: number; // 0 | 1
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_text_tokens: number;
  output_image_tokens: number;
  reasoning_tokens: number;
  image_count: number;
  image_size: string | null; // "512" | "1K" | "2K" | "4K" | "1024x1024"…
  aspect_ratio: string | null;
  cost_micros: number;
  /** The group price ratio applied to cost_micros (1 = list price). */
  group_ratio: ColumnType<number, number | undefined, number>;
  /** JSON breakdown of cost_micros by price kind (billing's CostDetail); null = none. */
  cost_detail: JsonText | null;
  latency_ms: number;
  first_byte_ms: number | null;
  client_ip: string | null;
}

/**
 * Daily rollup of usage_logs, written in the same transaction as the rows.
 * Absent ids are 0 and an absent model is '' (never NULL), so the primary key
 * (day, token_id, user_id, model, channel_id) works the same on every backend.
 */
export interface UsageDailyTable {
  day: string; // 'YYYY-MM-DD', UTC
  token_id: number;
  user_id: number;
  model: string; // model_requested
  channel_id: number;
  requests: number;
  errors: number; // rows with status >= 400 (or 0: never answered)
  input_tokens: number; // input + cached input + cache writes
  output_tokens: number; // text + image + reasoning
  image_count: number;
  cost_micros: number;
}

/** Room for async jobs (video, music, Midjourney-style); filled by a later issue. */
export interface TasksTable {
  id: Id;
  task_id: string; // unique, client-visible
  kind: string;
  status: string;
  token_id: number | null;
  user_id: number | null;
  channel_id: number | null;
  model: string | null;
  upstream_task_id: string | null;
  request: JsonText | null;
  result: JsonText | null;
  cost_micros: number;
  created_at: number;
  updated_at: number;
}

/** One row per background job: who runs it until when (src/jobs/db-lease.ts). */
export interface JobLeasesTable {
  name: string; // primary key
  holder: string;
  /** Epoch ms by the holder's clock; at or before now the lease is free. */
  expires_at: number;
}

/** Small key/value rows: install facts (job leases have their own table, job_leases). */
export interface MetaTable {
  key: string; // primary key
  value: string;
  expires_at: number | null;
  updated_at: number;
}

export interface Schema {
  users: UsersTable;
  groups: GroupsTable;
  tokens: TokensTable;
  channels: ChannelsTable;
  channel_keys: ChannelKeysTable;
  prices: PricesTable;
  usage_logs: UsageLogsTable;
  usage_daily: UsageDailyTable;
  tasks: TasksTable;
  meta: MetaTable;
  job_leases: JobLeasesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type GroupRow = Selectable<GroupsTable>;
export type TokenRow = Selectable<TokensTable>;
export type NewToken = Insertable<TokensTable>;
export type ChannelRow = Selectable<ChannelsTable>;
export type ChannelKeyRow = Selectable<ChannelKeysTable>;
export type PriceRow = Selectable<PricesTable>;
export type UsageLogRow = Selectable<UsageLogsTable>;
export type NewUsageLog = Insertable<UsageLogsTable>;
export type UsageDailyRow = Selectable<UsageDailyTable>;
