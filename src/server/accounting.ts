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
  type Reservation,
  type ReserveRequest,
} from '../billing/index.js';
import type { Usage } from '../dialects/usage.js';
import type { Admission, Limiter } from '../limits/limiter.js';
import type { Accounting, Admitted, Hold, Settlement } from '../relay/accounting.js';
import type { Caller } from '../relay/auth.js';
import type { ImageFacts, RequestFacts } from '../relay/request-facts.js';
import type { ModelPrice } from '../store/entities.js';

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
        const request = reserveRequest(caller, estimateWorstCase(price, facts, ratio, 1, model));
        let reservation: Reservation;
        try {
          reservation = await deps.ledger.reserve(request);
        } catch (err) {
          throw ledgerError(err);
        }
        return new AdmittedCall(price, ratio, reservation, admission);
      } catch (err) {
        admission.done(0);
        throw err;
      }
    },
  };
}

/** One admitted call: its hold on the ledger and its limiter slot (one object, not a closure each). */
class AdmittedCall implements Admitted, Hold {
  readonly hold: Hold = this;

  constructor(
    private readonly price: ModelPrice,
    private readonly ratio: number,
    private readonly reservation: Reservation,
    private readonly admission: Admission,
  ) {}

  settle(usage: Usage, images: ImageFacts | undefined): Settlement {
    const cost = computeCost(this.price, usage, images, this.ratio);
    void this.reservation.settle(cost.micros);
    return { costMicros: cost.micros, groupRatio: this.ratio, detail: cost.detail as Record<string, number> };
  }

  release(): void {
    void this.reservation.release();
  }

  done(tokens: number): void {
    this.admission.done(tokens);
  }
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

function reserveRequest(caller: Caller, amount: number): ReserveRequest {
  const { token, user } = caller;
  return {
    tokenId: token.id,
    userId: user.id,
    tokenQuota: token.unlimited ? null : token.quotaMicros,
    tokenUsed: token.usedMicros,
    userBalance: user.role === 'root' ? null : user.balanceMicros,
    userUsed: user.usedMicros,
    amount,
  };
}

function ledgerError(err: unknown): unknown {
  if (err instanceof QuotaExceededError) {
    return new GatewayError('quota', err.message, { code: err.limit === 'token_quota' ? 'token_quota_exceeded' : 'insufficient_balance' });
  }
  if (err instanceof LedgerUnavailableError) {
    return new GatewayError('unavailable', 'Quota accounting is unavailable right now; try again shortly.', { retryAfter: 1 });
  }
  return err;
}
