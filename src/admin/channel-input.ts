// Channel bodies: our shape (`keys`, `models`, `groups` as lists) and new-api's
// habits (`key` newline-separated, `models` / `group` comma strings,
// `model_mapping` as a JSON string), validated to a repository patch.
import * as z from 'zod';
import { CHANNEL_TYPES } from '../providers/registry.js';
import { redactProxyUrl, unmaskedProxyUrl, upstreamSettingsProblems } from '../routing/upstream-settings.js';
import type { Channel } from '../store/entities.js';
import type { ChannelInput } from '../store/repositories.js';
import { invalid } from './envelope.js';
import { groupName, modelName } from './validate.js';

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'expected an http:// or https:// URL');

const list = <T extends z.ZodType<string>>(item: T, sep: RegExp) =>
  z.union([
    z.array(item).max(10_000),
    z.string().transform((s, c) => {
      const parts = s.split(sep).map((p) => p.trim()).filter((p) => p !== '');
      const out: string[] = [];
      for (const [i, p] of parts.entries()) {
        const r = item.safeParse(p);
        if (r.success) out.push(r.data as string);
        else c.addIssue({ code: 'custom', path: [i], message: r.error.issues[0]?.message ?? 'invalid' });
      }
      return out;
    }),
  ]);

const mapping = z.union([
  z.record(modelName, modelName),
  z.string().transform((s, c): Record<string, string> => {
    if (s.trim() === '') return {};
    try {
      const parsed: unknown = JSON.parse(s);
      const r = z.record(modelName, modelName).safeParse(parsed);
      if (r.success) return r.data;
    } catch {
      // reported below
    }
    c.addIssue({ code: 'custom', message: 'expected an object of model → upstream model (or that as a JSON string)' });
    return z.NEVER;
  }),
]);

export const channelBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(128),
    type: z.enum(CHANNEL_TYPES),
    base_url: z.union([z.literal(''), httpUrl]),
    // A plain key, or a key as our answers show it ({ id, key: masked, … }): kept as stored.
    keys: z.array(z.union([z.string().trim().min(1).max(8192), z.object({ id: z.number().int().optional(), key: z.string().max(8192) })])).max(1000),
    key: z.string().max(1_000_000),
    models: list(modelName, /[,\n]/),
    model_mapping: mapping,
    groups: list(groupName, /[,\n]/),
    group: list(groupName, /[,\n]/),
    priority: z.number().int().min(-1_000_000).max(1_000_000),
    weight: z.number().int().min(0).max(1_000_000),
    status: z.union([z.enum(['enabled', 'disabled', 'auto_disabled']), z.literal(1), z.literal(2)]),
    // Free-form, but the proxy and waits are checked as the config checks them.
    settings: z.record(z.string(), z.unknown()).superRefine((settings, ctx) => {
      for (const p of upstreamSettingsProblems(settings)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    }),
  })
  .partial();

export type ChannelBody = z.output<typeof channelBodySchema>;
export const CHANNEL_READ_ONLY = ['id', 'status_reason', 'key_count', 'breaker', 'key_breakers', 'created_at', 'updated_at'];

/** A key our lists show (`sk-abcd…wxyz`) sent back as if it were real. */
function looksMasked(key: string): boolean {
  return key.includes('…');
}

export function channelPatchFromBody(body: ChannelBody, current?: Channel): Partial<ChannelInput> {
  const patch: Partial<ChannelInput> = {};
  if (body.name !== undefined) patch.name = body.name;
  if (body.type !== undefined) patch.type = body.type;
  if (body.base_url !== undefined) patch.baseUrl = body.base_url.replace(/\/+$/, '');
  const keys = body.keys ?? (body.key !== undefined ? body.key.split('\n').map((k) => k.trim()).filter((k) => k !== '') : undefined);
  if (keys !== undefined) {
    const field = body.keys !== undefined ? 'keys' : 'key';
    const stored = new Map((current?.keys ?? []).map((k) => [k.id, k.key]));
    const plain = keys.map((k, i) => {
      // An echoed key object names a stored key by id: keep that key.
      if (typeof k !== 'string' && k.id !== undefined && stored.has(k.id)) return stored.get(k.id)!;
      const key = (typeof k === 'string' ? k : k.key).trim();
      if (looksMasked(key)) throw invalid(`${field}[${i}]`, 'looks like a masked key; send the real key, or leave keys out to keep them');
      if (key === '') throw invalid(`${field}[${i}]`, 'must not be empty');
      return key;
    });
    patch.keys = [...new Set(plain)];
  }
  if (body.models !== undefined) patch.models = [...new Set(body.models)];
  if (body.model_mapping !== undefined) patch.modelMapping = body.model_mapping;
  const groups = body.groups ?? body.group;
  if (groups !== undefined) patch.groups = [...new Set(groups)];
  if (body.priority !== undefined) patch.priority = body.priority;
  if (body.weight !== undefined) patch.weight = body.weight;
  if (body.status !== undefined) {
    const status = body.status === 1 ? 'enabled' : body.status === 2 ? 'disabled' : body.status;
    // An echoed status changes nothing (and keeps its reason); auto_disabled is the gateway's to set.
    if (status !== current?.status) {
      if (status === 'auto_disabled') throw invalid('status', 'auto_disabled is set by the gateway; use "enabled" or "disabled"');
      patch.status = status;
      patch.statusReason = null;
    }
  }
  if (body.settings !== undefined) patch.settings = withStoredProxy(body.settings, current);
  return patch;
}

/** Settings as our answers show them: a proxy's password masked. */
export function settingsView(settings: Record<string, unknown>): Record<string, unknown> {
  const proxy = settings.proxy;
  if (typeof proxy !== 'string') return settings;
  const shown = redactProxyUrl(proxy);
  return shown === proxy ? settings : { ...settings, proxy: shown };
}

/** A proxy URL echoed back with its password masked keeps the stored one. */
function withStoredProxy(settings: Record<string, unknown>, current: Channel | undefined): Record<string, unknown> {
  const sent = settings.proxy;
  if (typeof sent !== 'string') return settings;
  const proxy = unmaskedProxyUrl(sent, current?.settings.proxy);
  if (proxy === undefined) throw invalid('settings.proxy', 'looks like a masked proxy password; send the real one, or send the proxy as it was read to keep it');
  return proxy === sent ? settings : { ...settings, proxy };
}

/** Cross-field rules on the channel as it would be stored. */
export function assertChannelComplete(c: Pick<ChannelInput, 'type' | 'baseUrl'>): void {
  if (c.type === 'openai-compatible' && !c.baseUrl) {
    throw invalid('base_url', 'is required for type openai-compatible (e.g. https://api.deepseek.com)');
  }
}
