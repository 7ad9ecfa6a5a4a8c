// Parsed, ready-to-use shapes of the stored rows: what repositories return and
// what the in-memory cache holds. JSON columns are parsed; secrets are decrypted
// only where the relay needs them (channel keys), never for tokens.

export type Role = 'root' | 'admin' | 'user';

/** Per-token or per-user rate limits; an absent field means no limit. */
export interface RateLimits {
  /** Requests per minute. */
  rpm?: number;
  /** Tokens (input + output) per minute. */
  tpm?: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

export interface User {
  id: number;
  name: string;
  displayName: string;
  role: Role;
  group: string;
  balanceMicros: number;
  usedMicros: number;
  status: 'enabled' | 'disabled';
  limits: RateLimits;
  createdAt: number;
  updatedAt: number;
}

export interface Group {
  id: number;
  name: string;
  ratio: number;
  description: string;
}

/**
 * How OpenAI chat answers carry generated images. One list for the config
 * file, the management API and the gateway setting.
 */
export const IMAGE_OUTPUT_MODES = ['images', 'markdown', 'both', 'url'] as const;
export type ImageOutputMode = (typeof IMAGE_OUTPUT_MODES)[number];

export interface Token {
  id: number;
  userId: number;
  name: string;
  keyHash: string;
  keyMask: string;
  status: 'enabled' | 'disabled' | 'exhausted' | 'expired';
  unlimited: boolean;
  quotaMicros: number;
  usedMicros: number;
  models: string[] | null;
  allowIps: string[] | null;
  group: string | null;
  expiresAt: number | null;
  limits: RateLimits;
  /** null = unset: the channel's `settings.image_output`, else the gateway's `imageOutput`, decides. */
  imageOutput: ImageOutputMode | null;
  createdAt: number;
  updatedAt: number;
}

export interface ChannelKey {
  id: number;
  /** Decrypted upstream key. */
  key: string;
  keyHash: string;
  status: 'enabled' | 'disabled' | 'auto_disabled';
  statusReason: string | null;
}

export interface Channel {
  id: number;
  name: string;
  type: string;
  baseUrl: string;
  models: string[];
  modelMapping: Record<string, string>;
  groups: string[];
  priority: number;
  weight: number;
  status: 'enabled' | 'disabled' | 'auto_disabled';
  statusReason: string | null;
  settings: Record<string, unknown>;
  keys: ChannelKey[];
  createdAt: number;
  updatedAt: number;
}

/** USD amounts, as an operator writes them; billing converts to micro-dollars. */
export interface ModelPrice {
  input_per_mtok?: number;
  cached_input_per_mtok?: number;
  cache_write_5m_per_mtok?: number;
  cache_write_1h_per_mtok?: number;
  output_per_mtok?: number;
  image_output_per_mtok?: number;
  reasoning_per_mtok?: number;
  /**
   * USD per image. Keys: a size ("512", "1K", "2K", "4K", "1024x1024"), a
   * quality and size ("high:1024x1536", for OpenAI image models), or "default".
   */
  per_image?: Record<string, number>;
  per_call?: number;
  /**
   * Higher token rates once a prompt (input + cached + cache writes) exceeds
   * `above_input_tokens` (Gemini 2.5/3 Pro and Claude Sonnet 4.x above 200k).
   * Rates it leaves out keep their normal value.
   */
  long_context?: LongContextPrice;
}

export interface LongContextPrice {
  above_input_tokens: number;
  input_per_mtok?: number;
  cached_input_per_mtok?: number;
  cache_write_5m_per_mtok?: number;
  cache_write_1h_per_mtok?: number;
  output_per_mtok?: number;
  reasoning_per_mtok?: number;
}

export interface Price {
  model: string;
  price: ModelPrice;
  source: 'config' | 'api';
}

/** What changed, broadcast so every cache (in this process and on other nodes) reloads it. */
export interface ChangeEvent {
  entity: 'user' | 'group' | 'token' | 'channel' | 'price' | 'all';
  /** Row id (or model name for prices); absent = reload the whole table. */
  id?: number | string;
}
