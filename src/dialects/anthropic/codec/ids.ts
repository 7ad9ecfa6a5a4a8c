import { randomUUID } from 'node:crypto';

/** A fresh Anthropic-looking message id. */
export function newMessageId(): string {
  return `msg_${randomUUID().replace(/-/g, '')}`;
}

/** Our answers always carry a `msg_` id, whatever the upstream called it. */
export function messageIdFrom(id: string | undefined): string {
  if (!id) return newMessageId();
  return id.startsWith('msg_') ? id : `msg_${id}`;
}

const SAFE_TOOL_ID = /^[a-zA-Z0-9_-]+$/;

/**
 * Anthropic refuses tool_use ids outside `[a-zA-Z0-9_-]`; ids from other
 * dialects may hold anything. The mapping is deterministic, so a tool_use and
 * its tool_result still match after it.
 */
export function anthropicToolId(id: string): string {
  if (SAFE_TOOL_ID.test(id)) return id;
  return id === '' ? 'toolu_empty' : id.replace(/[^a-zA-Z0-9_-]/g, '_');
}
