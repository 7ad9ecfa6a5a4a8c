// Row → entity conversions, shared by the repositories and the cache so both
// see exactly the same shapes.
import type { SecretBox } from '../crypto.js';
import { IMAGE_OUTPUT_MODES } from '../entities.js';
import type { Channel, ChannelKey, Group, ImageOutputMode, ModelPrice, Price, Token, User } from '../entities.js';
import type { ChannelKeyRow, ChannelRow, GroupRow, PriceRow, TokenRow, UserRow } from '../schema.js';
import { limitsFromRow } from './limits.js';
import { parseJson } from './support.js';

export function userFromRow(r: UserRow): User {
  return {
    id: Number(r.id),
    name: r.name,
    displayName: r.display_name,
    role: r.role,
    group: r.group_name,
    balanceMicros: Number(r.balance_micros),
    usedMicros: Number(r.used_micros),
    status: r.status,
    limits: limitsFromRow(r),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function groupFromRow(r: GroupRow): Group {
  return { id: Number(r.id), name: r.name, ratio: Number(r.ratio), description: r.description };
}

/** A value the API never wrote (a hand-edited row) reads as unset rather than leaking through. */
function imageOutputFromColumn(v: string | null): ImageOutputMode | null {
  return (IMAGE_OUTPUT_MODES as readonly string[]).includes(v ?? '') ? (v as ImageOutputMode) : null;
}

export function tokenFromRow(r: TokenRow): Token {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    name: r.name,
    keyHash: r.key_hash,
    keyMask: r.key_mask,
    status: r.status,
    unlimited: Number(r.unlimited) === 1,
    quotaMicros: Number(r.quota_micros),
    usedMicros: Number(r.used_micros),
    models: parseJson<string[] | null>(r.models, null),
    allowIps: parseJson<string[] | null>(r.allow_ips, null),
    group: r.group_name,
    expiresAt: r.expires_at === null ? null : Number(r.expires_at),
    limits: limitsFromRow(r),
    imageOutput: imageOutputFromColumn(r.image_output),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function channelKeyFromRow(r: ChannelKeyRow, box: SecretBox): ChannelKey {
  return {
    id: Number(r.id),
    key: box.decrypt(r.key_enc),
    keyHash: r.key_hash,
    status: r.status,
    statusReason: r.status_reason,
  };
}

/** `keys` must already be this channel's rows in position order. */
export function channelFromRow(r: ChannelRow, keys: ChannelKeyRow[], box: SecretBox): Channel {
  return {
    id: Number(r.id),
    name: r.name,
    type: r.type,
    baseUrl: r.base_url,
    models: parseJson<string[]>(r.models, []),
    modelMapping: parseJson<Record<string, string>>(r.model_mapping, {}),
    groups: parseJson<string[]>(r.groups, []),
    priority: Number(r.priority),
    weight: Number(r.weight),
    status: r.status,
    statusReason: r.status_reason,
    settings: parseJson<Record<string, unknown>>(r.settings, {}),
    keys: keys.map((k) => channelKeyFromRow(k, box)),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function priceFromRow(r: PriceRow): Price {
  return { model: r.model, price: parseJson<ModelPrice>(r.data, {}), source: r.source };
}

/** Groups key rows by channel id, keeping their order. */
export function keysByChannel(rows: ChannelKeyRow[]): Map<number, ChannelKeyRow[]> {
  const out = new Map<number, ChannelKeyRow[]>();
  for (const row of rows) {
    const id = Number(row.channel_id);
    let list = out.get(id);
    if (!list) out.set(id, (list = []));
    list.push(row);
  }
  return out;
}
