// A token as the management API shows it (src/admin/token-view.ts), the
// form's state, and the body the form sends (src/admin/token-input.ts).
// The form speaks our field names (`*_usd`, ISO `expires_at`, `limits`) only,
// never new-api's twins, so the server has one value per field to read.
import { limitsBody, limitsForm, limitsProblem, type LimitKey, type LimitsForm, type RateLimits } from './limits';

export const IMAGE_OUTPUT_MODES = ['images', 'markdown', 'both', 'url'] as const;
export type ImageOutputMode = (typeof IMAGE_OUTPUT_MODES)[number];
export type TokenStatusName = 'enabled' | 'disabled' | 'expired' | 'exhausted';

export interface TokenView {
  id: number;
  user_id: number;
  name: string;
  /** Masked unless this answers a create. */
  key: string;
  status: number;
  status_name: TokenStatusName;
  created_time: number;
  /** Epoch seconds; 0 = never used. */
  accessed_time: number;
  remain_quota_usd: number;
  used_quota_usd: number;
  quota_usd: number;
  unlimited_quota: boolean;
  model_limits_enabled: boolean;
  /** Comma-separated. */
  model_limits: string;
  /** Newline-separated. */
  allow_ips: string;
  /** '' = the owner's group. */
  group: string;
  expires_at: number | null;
  limits: RateLimits;
  image_output: ImageOutputMode | null;
}

export interface TokenForm {
  name: string;
  /** Admins creating for someone else: their user id; '' = the caller. */
  ownerId: string;
  unlimited: boolean;
  quotaUsd: string;
  neverExpires: boolean;
  /** `datetime-local` value, local time. */
  expiresAt: string;
  limitModels: boolean;
  models: string[];
  /** Models not in the checklist, comma- or newline-separated. */
  otherModels: string;
  allowIps: string;
  group: string;
  limits: LimitsForm;
  imageOutput: '' | ImageOutputMode;
}

export function emptyTokenForm(): TokenForm {
  return {
    name: '',
    ownerId: '',
    unlimited: false,
    quotaUsd: '',
    neverExpires: true,
    expiresAt: '',
    limitModels: false,
    models: [],
    otherModels: '',
    allowIps: '',
    group: '',
    limits: limitsForm(undefined),
    imageOutput: '',
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms → `datetime-local` value in local time. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `datetime-local` value (local time) → epoch ms, or NaN. */
export function fromLocalInput(value: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? new Date(value).getTime() : NaN;
}

export function splitList(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** The form for editing `t`; models not in `known` go to the free-text field. */
export function tokenFormFrom(t: TokenView, known: readonly string[]): TokenForm {
  const models = splitList(t.model_limits);
  return {
    name: t.name,
    ownerId: String(t.user_id),
    unlimited: t.unlimited_quota,
    quotaUsd: String(t.remain_quota_usd),
    neverExpires: t.expires_at === null,
    expiresAt: t.expires_at === null ? '' : toLocalInput(t.expires_at),
    limitModels: t.model_limits_enabled,
    models: models.filter((m) => known.includes(m)),
    otherModels: models.filter((m) => !known.includes(m)).join(', '),
    allowIps: t.allow_ips,
    group: t.group,
    limits: limitsForm(t.limits),
    imageOutput: t.image_output ?? '',
  };
}

/** The field names the form shows errors under. */
export type TokenFormField = 'name' | 'quotaUsd' | 'expiresAt' | 'models' | 'allowIps' | 'group' | 'imageOutput' | 'ownerId' | LimitKey;

/** A server field (`remain_quota_usd`, `model_limits[2]`, `limits.rpm`) → the form field showing it. */
export function formFieldOf(serverField: string | undefined): TokenFormField | undefined {
  if (!serverField) return undefined;
  const head = serverField.replace(/\[\d+\]$/, '');
  const map: Record<string, TokenFormField> = {
    name: 'name',
    remain_quota_usd: 'quotaUsd',
    remain_quota: 'quotaUsd',
    unlimited_quota: 'quotaUsd',
    expires_at: 'expiresAt',
    expired_time: 'expiresAt',
    model_limits: 'models',
    model_limits_enabled: 'models',
    allow_ips: 'allowIps',
    group: 'group',
    image_output: 'imageOutput',
    user_id: 'ownerId',
    'limits.rpm': 'rpm',
    'limits.tpm': 'tpm',
    'limits.concurrency': 'concurrency',
  };
  return map[head];
}

/** Problems the browser can see before asking the server: field → message key. */
export function tokenFormProblems(f: TokenForm): Partial<Record<TokenFormField, string>> {
  const out: Partial<Record<TokenFormField, string>> = {};
  if (f.name.trim() === '') out.name = 'errors.nameRequired';
  if (!f.unlimited && !(f.quotaUsd.trim() !== '' && Number(f.quotaUsd) >= 0)) out.quotaUsd = 'errors.quota';
  if (!f.neverExpires && Number.isNaN(fromLocalInput(f.expiresAt))) out.expiresAt = 'errors.expiry';
  if (f.limitModels && f.models.length === 0 && splitList(f.otherModels).length === 0) out.models = 'errors.models';
  const badLimit = limitsProblem(f.limits);
  if (badLimit) out[badLimit] = 'errors.limit';
  return out;
}

/**
 * The body for `POST /api/token/` (no `current`) or `PUT /api/token/`.
 * On edit the quota field holds what remains; sending what was spent when the
 * form was read lets the server keep counting spending since.
 */
export function tokenBody(f: TokenForm, current?: TokenView): Record<string, unknown> {
  const models = [...new Set([...f.models, ...splitList(f.otherModels)])];
  const body: Record<string, unknown> = {
    name: f.name.trim(),
    unlimited_quota: f.unlimited,
    expires_at: f.neverExpires ? null : new Date(fromLocalInput(f.expiresAt)).toISOString(),
    model_limits_enabled: f.limitModels,
    allow_ips: f.allowIps.trim() === '' ? null : f.allowIps,
    group: f.group,
    limits: limitsBody(f.limits),
    image_output: f.imageOutput === '' ? null : f.imageOutput,
  };
  if (f.limitModels) body.model_limits = models;
  if (current) {
    body.id = current.id;
    // Only an edited amount is sent: an echo of an unlimited token's 0 would
    // otherwise rewrite its stored total.
    const edited = f.quotaUsd.trim() !== String(current.remain_quota_usd) || current.unlimited_quota !== f.unlimited;
    if (!f.unlimited && edited) {
      body.remain_quota_usd = Number(f.quotaUsd);
      body.used_quota_usd = current.used_quota_usd;
    }
  } else {
    if (!f.unlimited || f.quotaUsd.trim() !== '') body.remain_quota_usd = Number(f.quotaUsd || 0);
    if (f.ownerId !== '') body.user_id = Number(f.ownerId);
  }
  return body;
}
