import { expect } from 'vitest';
import { GatewayError } from '../../src/dialects/errors.js';

/** Runs `fn`, expecting a GatewayError('invalid_request') about `param`; returns it for more checks. */
export function refusal(fn: () => unknown, param: string): GatewayError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a refusal of '${param}'`).toBeInstanceOf(GatewayError);
  const err = caught as GatewayError;
  expect(err.kind).toBe('invalid_request');
  expect(err.status).toBe(400);
  expect(err.param).toBe(param);
  return err;
}
