// Shapes of the channel answers this page reads (src/admin/routes/channels.ts
// channelView, src/routing/circuit-breaker.ts BreakerSnapshot, src/admin/channel-test.ts).
import type { BreakerSnapshot } from '../../api/types';

/** The channel types the gateway knows (src/providers/registry.ts CHANNEL_TYPES). */
export const CHANNEL_TYPES = ['openai', 'openai-compatible', 'anthropic', 'gemini', 'vertex', 'simulator'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export type ChannelStatus = 'enabled' | 'disabled' | 'auto_disabled';

export interface ChannelKeyView {
  id: number;
  /** Masked: `sk-abcd…wxyz`. */
  key: string;
  status: ChannelStatus;
  status_reason: string | null;
}

export interface ChannelView {
  id: number;
  name: string;
  type: ChannelType;
  base_url: string;
  models: string[];
  model_mapping: Record<string, string>;
  groups: string[];
  priority: number;
  weight: number;
  status: ChannelStatus;
  status_reason: string | null;
  settings: Record<string, unknown>;
  keys: ChannelKeyView[];
  key_count: number;
  breaker: BreakerSnapshot | null;
  key_breakers: BreakerSnapshot[];
  created_at: number;
  updated_at: number;
}

/** `POST /api/channels/{id}/test` data. */
export interface ChannelTestResult {
  ok: boolean;
  /** Upstream HTTP status; 0 when no answer came. */
  status: number;
  latency_ms: number;
  message: string;
  model: string | null;
}

/** `GET /api/groups` item. */
export interface GroupItem {
  name: string;
  ratio: number;
  description: string;
}

/**
 * The provider's own address when base_url is empty (src/config/schema.ts
 * DEFAULT_BASE_URLS); '' = none (openai-compatible needs one, vertex follows
 * its location, the simulator runs in-process).
 */
export const DEFAULT_BASE_URLS: Record<ChannelType, string> = {
  openai: 'https://api.openai.com',
  'openai-compatible': '',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
  vertex: 'https://{location}-aiplatform.googleapis.com',
  simulator: '',
};

export const KEY_ROTATIONS = ['round_robin', 'random'] as const;
/** src/store/entities.ts IMAGE_OUTPUT_MODES. */
export const IMAGE_OUTPUT_MODES = ['images', 'markdown', 'both', 'url'] as const;
/** Channel waits, `settings.timeouts` (src/routing/upstream-settings.ts TIMEOUT_FIELDS). */
export const TIMEOUT_FIELDS = ['connect_ms', 'first_byte_ms', 'idle_ms', 'total_ms'] as const;
export type TimeoutField = (typeof TIMEOUT_FIELDS)[number];
export const MAX_TIMEOUT_MS = 3_600_000;

export type { BreakerSnapshot, BreakerState } from '../../api/types';
