// Token create / update bodies in new-api's shape (plus our `limits`, `*_usd`
// and ISO `expires_at`), turned into a repository patch. Unknown fields are
// dropped, not refused: new-api clients PUT back the whole object they read.
import * as z from 'zod';
import { IMAGE_OUTPUT_MODES } from '../store/entities.js';
import type { RateLimits, Token } from '../store/entities.js';
import type { TokenInput } from '../store/repositories.js';
import { pickEdited, tokenTotalFromEcho } from './echo.js';
import { invalid } from './envelope.js';
import { remainingMicros } from './token-view.js';
import { MAX_UNITS, microsToUnits, microsToUsd, seconds, unitsToMicros, usdToMicros } from './units.js';
import { mergeLimits, groupName, isIpOrCidr, limitsSchema, modelName, parseWith, usd } from './validate.js';

export const tokenBodySchema = z
  .object({
    id: z.number().int().positive(),
    user_id: z.number().int().positive(),
    name: z.string().trim().min(1).max(100),
    key: z.string(),
    status: z.union([z.number().int(), z.enum(['enabled', 'disabled'])]),
    remain_quota: z.number().int().min(0).max(MAX_UNITS),
    remain_quota_usd: usd,
    // Echoed by clients that PUT back what they read: what was spent when they looked.
    used_quota: z.number().int().min(0).max(MAX_UNITS),
    used_quota_usd: usd,
    unlimited_quota: z.boolean(),
    expired_time: z.number().int().min(-1),
    expires_at: z.union([z.number().int().min(0), z.string(), z.null()]),
    model_limits_enabled: z.boolean(),
    model_limits: z.union([z.string().max(65_536), z.array(z.string())]),
    allow_ips: z.union([z.string().max(65_536), z.array(z.string()), z.null()]),
    group: z.union([z.literal(''), groupName, z.null()]),
    limits: z.union([limitsSchema, z.null()]),
    // '' or null = unset: the channel's settings.image_output, else the gateway's, decides.
    image_output: z.union([z.enum(IMAGE_OUTPUT_MODES), z.literal(''), z.null()], {
      error: `expected one of ${IMAGE_OUTPUT_MODES.join(', ')}, or null for the default`,
    }),
  })
  .partial();

export type TokenBody = z.output<typeof tokenBodySchema>;

/** The fields a token patch may carry. */
export type TokenPatch = Partial<Omit<TokenInput, 'userId' | 'key'>> & { limits?: RateLimits };

/** `1` / `"enabled"` → enabled, `2` / `"disabled"` → disabled; 3 and 4 are states, not choices. */
export function statusFromBody(raw: TokenBody['status']): 'enabled' | 'disabled' | undefined {
  if (raw === undefined) return undefined;
  if (raw === 1 || raw === 'enabled') return 'enabled';
  if (raw === 2 || raw === 'disabled') return 'disabled';
  throw invalid('status', `only 1 (enabled) or 2 (disabled) can be set, got ${JSON.stringify(raw)}`);
}

function splitList(raw: string | string[], separators: RegExp): string[] {
  const parts = Array.isArray(raw) ? raw : raw.split(separators);
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p !== ''))];
}

function fromExpiresAt(v: string | number | null): number | null {
  if (v === null || typeof v === 'number') return v;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw invalid('expires_at', `expected an ISO date-time or epoch ms, got ${JSON.stringify(v)}`);
  return ms;
}

/** new-api: -1 never expires; otherwise epoch seconds (epoch ms accepted too). */
function fromExpiredTime(v: number): number | null {
  if (v === -1 || v === 0) return null;
  return v < 1e11 ? v * 1000 : v;
}

function expiry(body: TokenBody, current: Token | undefined): number | null | undefined {
  const nowMs = current?.expiresAt;
  const ours = body.expires_at === undefined ? undefined : fromExpiresAt(body.expires_at);
  const theirs = body.expired_time === undefined ? undefined : fromExpiredTime(body.expired_time);
  const sec = (v: number | null | undefined) => (v === null || v === undefined ? v : seconds(v));
  const pick = pickEdited(ours, sec(theirs), nowMs, sec(nowMs));
  return pick === 'ours' ? ours : pick === 'theirs' ? theirs : undefined;
}

function remaining(body: TokenBody, current: Token | undefined): number | undefined {
  const left = current ? remainingMicros(current) : undefined;
  const pick = pickEdited(
    body.remain_quota_usd,
    body.remain_quota,
    left === undefined ? undefined : microsToUsd(left),
    left === undefined ? undefined : microsToUnits(left),
  );
  if (pick === 'ours') return usdToMicros(body.remain_quota_usd!);
  if (pick === 'theirs') return unitsToMicros(body.remain_quota!);
  return undefined;
}

function models(body: TokenBody, current: Token | undefined): string[] | null | undefined {
  const list = body.model_limits === undefined ? undefined : splitList(body.model_limits, /[,\n]/);
  list?.forEach((m, i) => parseWith(modelName, m, `model_limits[${i}]`));
  const enabled = body.model_limits_enabled ?? (list !== undefined ? list.length > 0 : undefined);
  if (enabled === undefined) return undefined;
  if (!enabled) return null;
  const chosen = list ?? current?.models ?? [];
  if (chosen.length === 0) throw invalid('model_limits', 'name at least one model when model_limits_enabled is true');
  return chosen;
}

function allowIps(body: TokenBody): string[] | null | undefined {
  if (body.allow_ips === undefined) return undefined;
  if (body.allow_ips === null) return null;
  const list = splitList(body.allow_ips, /[\n,]/);
  list.forEach((ip, i) => {
    if (!isIpOrCidr(ip)) throw invalid('allow_ips', `entry ${i + 1} is not an IP address or CIDR range: ${JSON.stringify(ip)}`);
  });
  return list.length > 0 ? list : null;
}

/**
 * The repository patch a body asks for. Quota is written as what *remains*
 * (new-api's remain_quota), so the stored total becomes used + remaining —
 * "used" as the client saw it, when its body says (see ./echo.ts).
 */
export function tokenPatchFromBody(body: TokenBody, current: Token | undefined): TokenPatch {
  const patch: TokenPatch = {};
  if (body.name !== undefined) patch.name = body.name;
  const status = statusFromBody(body.status);
  if (status !== undefined) patch.status = status;
  if (body.unlimited_quota !== undefined) patch.unlimited = body.unlimited_quota;
  const left = remaining(body, current);
  if (left !== undefined) {
    const usedSeen =
      body.used_quota_usd !== undefined
        ? usdToMicros(body.used_quota_usd)
        : body.used_quota !== undefined
          ? unitsToMicros(body.used_quota)
          : (current?.usedMicros ?? 0);
    const total = current ? tokenTotalFromEcho(left, usedSeen, current.quotaMicros) : left;
    if (total !== undefined) patch.quotaMicros = total;
  }
  const exp = expiry(body, current);
  if (exp !== undefined) patch.expiresAt = exp;
  const m = models(body, current);
  if (m !== undefined) patch.models = m;
  const ips = allowIps(body);
  if (ips !== undefined) patch.allowIps = ips;
  if (body.group !== undefined) patch.group = body.group === '' ? null : body.group;
  if (body.limits !== undefined) patch.limits = mergeLimits(current?.limits, body.limits);
  if (body.image_output !== undefined) patch.imageOutput = body.image_output === '' ? null : body.image_output;
  return patch;
}

/** The token as it would be after the patch, for the enable checks. */
export function applied(current: Token, patch: TokenPatch): Token {
  return {
    ...current,
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.unlimited !== undefined && { unlimited: patch.unlimited }),
    ...(patch.quotaMicros !== undefined && { quotaMicros: patch.quotaMicros }),
    ...(patch.expiresAt !== undefined && { expiresAt: patch.expiresAt }),
  };
}

/** new-api refuses to enable a token that would be unusable at once; so do we, naming why. */
export function assertCanEnable(t: Token, now: number): void {
  if (t.expiresAt !== null && t.expiresAt <= now) {
    throw invalid('status', 'the token has expired; set a later expired_time (or -1 for never) to enable it');
  }
  if (!t.unlimited && remainingMicros(t) <= 0) {
    throw invalid('status', 'the token has no quota left; raise remain_quota (or set unlimited_quota) to enable it');
  }
}
