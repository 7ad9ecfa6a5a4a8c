// Test fixtures for the logs and dashboard component tests: a fresh account
// with its own token, real relay traffic through the test gateway, and a wait
// until the usage rows are written (the usage writer flushes in batches).
import { adminApi, gatewayUrl, unique } from '../../testing/render';
import type { Page } from '../../api/client';
import type { LogRow } from './log-shapes';

export interface Account {
  userId: number;
  accessKey: string;
  tokenId: number;
  tokenName: string;
  tokenKey: string;
}

/** A plain user (with a balance) and one unlimited token of theirs. */
export async function newAccount(prefix: string): Promise<Account> {
  const api = adminApi();
  const user = await api.post<{ id: number; access_key: string }>('/api/users', { name: unique(prefix), balance_usd: 5 });
  const tokenName = unique(`${prefix}-tok`);
  const token = await api.post<{ id: number; key: string }>('/api/token/', { name: tokenName, user_id: user.id, unlimited_quota: true });
  return { userId: user.id, accessKey: user.access_key, tokenId: token.id, tokenName, tokenKey: token.key };
}

/** A token of the admin (root) user, named uniquely. */
export async function rootToken(prefix: string): Promise<{ id: number; name: string; key: string }> {
  const name = unique(prefix);
  const token = await adminApi().post<{ id: number; key: string }>('/api/token/', { name, unlimited_quota: true });
  return { id: token.id, name, key: token.key };
}

/** One chat completion through the relay; `fault` asks the simulator to fail it (x-sim-fault). */
export async function chat(key: string, model: string, opts: { fault?: string; text?: string } = {}): Promise<number> {
  const res = await fetch(`${gatewayUrl()}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(opts.fault ? { 'x-sim-fault': opts.fault } : {}) },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: opts.text ?? 'Say hello to the dashboard.' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The token's usage rows once `count` of them are written (newest first). */
export async function logsOf(tokenId: number, count: number, timeoutMs = 30_000): Promise<LogRow[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const page = await adminApi().get<Page<LogRow>>('/api/logs', { token_id: tokenId, page_size: 100 });
    if (page.total >= count) return page.items;
    if (Date.now() > until) throw new Error(`only ${page.total} of ${count} usage rows for token ${tokenId} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
