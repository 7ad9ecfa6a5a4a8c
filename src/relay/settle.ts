import { emptyUsage, type Usage } from '../dialects/usage.js';
import type { Admitted } from './accounting.js';
import type { RelayContext } from './relay-context.js';

/**
 * Ends a call's accounting. An answer that reached the client — whole, or a
 * stream the client abandoned or the upstream broke after the first byte — is
 * charged from the usage the upstream reported; when it never reported any,
 * from the prompt estimate plus the text actually delivered. Anything else
 * (refused, failed before the first byte, an upstream error status) is
 * released: it costs nothing.
 */
export function settleAccounts(ctx: RelayContext, admitted: Admitted): void {
  const answered = ctx.firstByteMs !== undefined && (ctx.status < 400 || ctx.status === 499 || ctx.brokeMidStream);
  const usage: Usage | undefined = answered ? (ctx.usage ?? estimatedUsage(ctx)) : undefined;
  if (usage) {
    const s = admitted.hold.settle(usage, ctx.images);
    ctx.costMicros = s.costMicros;
    ctx.groupRatio = s.groupRatio;
    ctx.costDetail = s.detail;
  } else {
    admitted.hold.release();
  }
  admitted.done(usage ? totalTokens(usage) : 0);
}

function estimatedUsage(ctx: RelayContext): Usage {
  return { ...emptyUsage(), inputTokens: ctx.facts?.promptTokens ?? 0, outputTextTokens: ctx.deliveredText?.tokens ?? 0 };
}

function totalTokens(u: Usage): number {
  return u.inputTokens + u.cachedInputTokens + u.cacheWriteTokens + u.outputTextTokens + u.outputImageTokens + u.reasoningTokens;
}
