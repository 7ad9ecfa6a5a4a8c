// Money is integer micro-dollars everywhere inside (1 USD = 1 000 000). A
// price of "USD per million tokens" is therefore exactly "micro-dollars per
// token", which keeps the arithmetic in ./cost.ts free of unit juggling.

export const MICROS_PER_USD = 1_000_000;

/** new-api's quota unit: 500 000 units = 1 USD, so one unit is 2 micro-dollars. */
export const QUOTA_UNITS_PER_USD = 500_000;
const MICROS_PER_QUOTA_UNIT = MICROS_PER_USD / QUOTA_UNITS_PER_USD;

/**
 * Half-up rounding to a whole number, after trimming float noise (0.039 × 1e6
 * is 38999.999999999996 in binary floating point, and must read as 39 000).
 */
export function roundHalfUp(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite amount: ${x}`);
  const clean = Number(x.toFixed(6));
  return clean >= 0 ? Math.floor(clean + 0.5) : -Math.floor(-clean + 0.5);
}

/** Rounds up after trimming float noise: for worst-case reservations. */
export function roundUp(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite amount: ${x}`);
  return Math.ceil(Number(x.toFixed(6)));
}

export function usdToMicros(usd: number): number {
  return roundHalfUp(usd * MICROS_PER_USD);
}

export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}

export function microsToQuotaUnits(micros: number): number {
  return Math.floor(micros / MICROS_PER_QUOTA_UNIT);
}

export function quotaUnitsToMicros(units: number): number {
  return Math.round(units * MICROS_PER_QUOTA_UNIT);
}

/** "$0.039", "$1.5", "-$0.000002": as many decimals as the amount needs, at most six. */
export function formatUsd(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_USD);
  const frac = String(abs % MICROS_PER_USD).padStart(6, '0').replace(/0+$/, '');
  return `${sign}$${whole}${frac ? `.${frac}` : ''}`;
}
