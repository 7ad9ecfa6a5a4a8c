// Parsed, ready-to-use shapes of the stored rows: what repositories return and
// what the in-memory cache holds. JSON columns are parsed; secrets are decrypted
// only where the relay needs them (channel keys), never for tokens.

export type Role = 'root' | 'admin' | 'user';

export interface User {
  id: number;
  name: string;
  displayName: string;
  role: Role;
  group: string;
  balanceMicros: number;
  usedMicros: number;
  status: 'enabled' | 'disabled';
  createdAt: number;
  updatedAt: number;
}

export interface Group {
  id: number;
  name: string;
  ratio: number;
  description: string;
}

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
  /** Image size ("512", "1K", "2K", "4K", "1024x1024", "default") → USD per image. */
  per_image?: Record<string, number>;
  per_call?: number;
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
