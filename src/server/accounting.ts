// The relay's Accounting, composed from the rate limiter, the price book, the
// cost rules and the quota ledger. Limits are checked first, so a refused
// request reserves nothing; a failed reservation frees the limiter's slot.
import { GatewayError } from '../dialects/errors.js';
import {
  LedgerUnavailableError,
  PriceBook,
  QuotaExceededError,
  UnpricedModelError,
  computeCost,
  estimateWorstCase,
  type QuotaLedger,
} from '../billing/index.js';
import type { Limiter } from '../limits/limiter.js';
import type { Accounting, Admitted } from '../relay/accounting.js';
import type { Caller } from '../relay/auth.js';
import type { RequestFacts } from '../relay/request-facts.js';

export interface AccountingDeps {
  limiter: Limiter;
  ledger: QuotaLedger;
  prices: PriceBook;
}

export function createAccounting(deps: AccountingDeps): Accounting {
  return {
    async admit(caller: Caller, model: string, facts: RequestFacts, upstreamModels: readonly string[] = []): Promise<Admitted> {
      const admission = await deps.limiter.admit({
        tokenId: caller.token.id,
        userId: caller.user.id,
        tokenLimits: caller.token.limits,
        userLimits: caller.user.limits,
      });
      try {
        const { price } = priceOf(deps.prices, model, upstreamModels);
        const ratio = caller.groupRatio;
        const reservation = await reserve(deps.ledger, caller, estimateWorstCase(price, facts, ratio, 1, model));
        return {
          hold: {
            settle(usage, images) {
              const cost = computeCost(price, usage, images, ratio);
              reservation.settle(cost.micros);
              return { costMicros: cost.micros, groupRatio: ratio, detail: cost.detail as Record<string, number> };
            },
            release: () => reservation.release(),
          },
          done: (tokens) => admission.done(tokens),
        };
      } catch (err) {
        admission.done(0);
        throw err;
      }
    },
  };
}

function priceOf(prices: PriceBook, model: string, upstreamModels: readonly string[]) {
  try {
    return prices.require(model, ...upstreamModels);
  } catch (err) {
    if (err instanceof UnpricedModelError) {
      throw new GatewayError('permission', err.message, { code: 'model_price_not_set', param: 'model' });
    }
    throw err;
  }
}

async function reserve(ledger: QuotaLedger, caller: Caller, amount: number) {
  const { token, user } = caller;
  try {
    return await ledger.reserve({
      tokenId: token.id,
      userId: user.id,
      tokenQuota: token.unlimited ? null : token.quotaMicros,
      tokenUsed: token.usedMicros,
      userBalance: user.role === 'root' ? null : user.balanceMicros,
      userUsed: user.usedMicros,
      amount,
    });
  } catch (err) {
    if (err instanceof QuotaExceededError) {
      throw new GatewayError('quota', err.message, { code: err.limit === 'token_quota' ? 'token_quota_exceeded' : 'insufficient_balance' });
    }
    if (err instanceof LedgerUnavailableError) {
      throw new GatewayError('unavailable', 'Quota accounting is unavailable right now; try again shortly.', { retryAfter: 1 });
    }
    throw err;
  }
}
