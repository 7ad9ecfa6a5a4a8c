// Billing's public surface: prices, costs, reservations, retention.
export { BUILTIN_ALIASES, BUILTIN_PRICES } from './builtin-prices.js';
export { PriceBook, UnpricedModelError, modelNameCandidates } from './price-book.js';
export type { OperatorPrices, PriceBookOptions, PriceSource, ResolvedPrice } from './price-book.js';
export {
  DEFAULT_MAX_OUTPUT_TOKENS,
  IMAGE_TEXT_ALLOWANCE_TOKENS,
  REASONING_MAX_OUTPUT_TOKENS,
  REFERENCE_IMAGE_TOKENS,
  WORST_TOKENS_PER_IMAGE,
  abortedUsage,
  computeCost,
  defaultMaxOutputTokens,
  estimateWorstCase,
  perImagePrice,
  worstPerImagePrice,
} from './cost.js';
export type { BilledImages, Cost, CostDetail, EstimateFacts, TokenUsage } from './cost.js';
export { DEFAULT_IDLE_TTL_MS, DEFAULT_RESERVATION_TTL_MS, LedgerUnavailableError, QuotaExceededError, createLedger } from './ledger.js';
export type { LedgerCounts, LedgerOptions, QuotaLedger, QuotaLimit, Reservation, ReserveRequest } from './ledger.js';
export {
  MICROS_PER_USD,
  QUOTA_UNITS_PER_USD,
  formatUsd,
  microsToQuotaUnits,
  microsToUsd,
  quotaUnitsToMicros,
  roundHalfUp,
  usdToMicros,
} from './money.js';
export { pruneUsage, startRetention } from './retention.js';
export type { PruneResult, RetentionOptions } from './retention.js';
