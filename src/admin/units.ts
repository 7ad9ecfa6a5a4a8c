// Money as the management API shows it. Inside: integer micro-dollars. Outside:
// USD beside new-api "quota units", where 500 000 units = 1 USD, so one unit is
// two micro-dollars. The conversions are billing's; this adds the API's names.
import { MICROS_PER_USD, QUOTA_UNITS_PER_USD, microsToQuotaUnits, quotaUnitsToMicros, usdToMicros as toMicros } from '../billing/money.js';

export const UNITS_PER_USD = QUOTA_UNITS_PER_USD;

/** Whole units, rounded down: a remaining balance is never shown larger than it is. */
export const microsToUnits = microsToQuotaUnits;
export const unitsToMicros = quotaUnitsToMicros;
export const usdToMicros = toMicros;

/** USD with micro-dollar precision and no float noise. */
export function microsToUsd(micros: number): number {
  return Math.round(micros) / MICROS_PER_USD;
}

/** Largest amount accepted from a client, so micro-dollars stay safe integers. */
export const MAX_USD = 1e9;
export const MAX_UNITS = MAX_USD * UNITS_PER_USD;

/** Epoch ms → epoch seconds (new-api's timestamps). */
export function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
