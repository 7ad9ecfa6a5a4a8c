// Circuit-breaker thresholds, per channel from `channel.settings.breaker`,
// with defaults. Read on the failure path only, parsed once per settings
// object (the cache hands out a new object when the channel changes).

export interface BreakerSettings {
  /** false: this channel's breakers never open. */
  enabled: boolean;
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** Failure share (0–1] over the window that opens it… */
  errorRate: number;
  /** …once the window holds at least this many requests. */
  minRequests: number;
  windowMs: number;
  /** First open period; doubles on each re-open up to maxCooldownMs. */
  cooldownMs: number;
  maxCooldownMs: number;
  /** A half-open probe whose outcome never came back frees its slot after this long. */
  probeTimeoutMs: number;
}

export const BREAKER_DEFAULTS: Readonly<BreakerSettings> = Object.freeze({
  enabled: true,
  failures: 5,
  errorRate: 0.5,
  minRequests: 20,
  windowMs: 60_000,
  cooldownMs: 30_000,
  maxCooldownMs: 300_000,
  probeTimeoutMs: 120_000,
});

const parsed = new WeakMap<object, BreakerSettings>();

/**
 * `channel.settings.breaker` → settings. Accepts `false` (off) or an object
 * with snake_case fields {enabled, failures, error_rate, min_requests,
 * window_ms, cooldown_ms, max_cooldown_ms, probe_timeout_ms}; a missing or
 * out-of-range field keeps its default, so odd input never breaks routing.
 */
export function breakerSettings(raw: unknown): BreakerSettings {
  if (raw === false) return OFF;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return BREAKER_DEFAULTS;
  const known = parsed.get(raw);
  if (known) return known;
  const r = raw as Record<string, unknown>;
  const cooldownMs = int(r.cooldown_ms, 1, BREAKER_DEFAULTS.cooldownMs);
  const settings: BreakerSettings = {
    enabled: r.enabled !== false,
    failures: int(r.failures, 1, BREAKER_DEFAULTS.failures),
    errorRate: rate(r.error_rate, BREAKER_DEFAULTS.errorRate),
    minRequests: int(r.min_requests, 1, BREAKER_DEFAULTS.minRequests),
    windowMs: int(r.window_ms, 10, BREAKER_DEFAULTS.windowMs),
    cooldownMs,
    maxCooldownMs: Math.max(cooldownMs, int(r.max_cooldown_ms, 1, BREAKER_DEFAULTS.maxCooldownMs)),
    probeTimeoutMs: int(r.probe_timeout_ms, 1, BREAKER_DEFAULTS.probeTimeoutMs),
  };
  parsed.set(raw, settings);
  return settings;
}

/** Problems with a `settings.breaker` value, for config and API validation (empty = fine). */
export function breakerSettingsProblems(raw: unknown): string[] {
  if (raw === undefined || raw === false) return [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return ['breaker must be an object or false'];
  const r = raw as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set(['enabled', 'failures', 'error_rate', 'min_requests', 'window_ms', 'cooldown_ms', 'max_cooldown_ms', 'probe_timeout_ms']);
  for (const k of Object.keys(r)) if (!known.has(k)) problems.push(`breaker.${k} is not a breaker setting`);
  if (r.enabled !== undefined && typeof r.enabled !== 'boolean') problems.push('breaker.enabled must be true or false');
  for (const k of ['failures', 'min_requests', 'window_ms', 'cooldown_ms', 'max_cooldown_ms', 'probe_timeout_ms']) {
    const v = r[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1)) problems.push(`breaker.${k} must be a whole number ≥ 1`);
  }
  const er = r.error_rate;
  if (er !== undefined && !(typeof er === 'number' && er > 0 && er <= 1)) problems.push('breaker.error_rate must be a number in (0, 1]');
  return problems;
}

const OFF: BreakerSettings = Object.freeze({ ...BREAKER_DEFAULTS, enabled: false });

function int(v: unknown, min: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.floor(v) : fallback;
}

function rate(v: unknown, fallback: number): number {
  return typeof v === 'number' && v > 0 && v <= 1 ? v : fallback;
}
