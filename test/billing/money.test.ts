import { describe, expect, it } from 'vitest';
import { formatUsd, microsToQuotaUnits, quotaUnitsToMicros, roundHalfUp, usdToMicros } from '../../src/billing/money.js';

describe('money helpers', () => {
  it('converts USD to micro-dollars without float noise', () => {
    expect(usdToMicros(0.039)).toBe(39_000);
    expect(usdToMicros(0.134)).toBe(134_000);
    expect(usdToMicros(20)).toBe(20_000_000);
    expect(usdToMicros(0.0000005)).toBe(1);
  });

  it('rounds half-up', () => {
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(2.4999999999999996)).toBe(3); // float noise of 2.5
    expect(roundHalfUp(2.49)).toBe(2);
    expect(roundHalfUp(-2.5)).toBe(-3);
    expect(() => roundHalfUp(Number.NaN)).toThrow(/not a finite amount/);
  });

  it('speaks new-api quota units (500 000 = 1 USD)', () => {
    expect(microsToQuotaUnits(1_000_000)).toBe(500_000);
    expect(quotaUnitsToMicros(500_000)).toBe(1_000_000);
    expect(microsToQuotaUnits(3)).toBe(1);
  });

  it('formats USD with only the decimals it needs', () => {
    expect(formatUsd(39_000)).toBe('$0.039');
    expect(formatUsd(20_000_000)).toBe('$20');
    expect(formatUsd(1)).toBe('$0.000001');
    expect(formatUsd(-1_500_000)).toBe('-$1.5');
  });
});
