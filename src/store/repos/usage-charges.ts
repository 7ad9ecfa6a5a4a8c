// The money half of a usage batch: what the rows charge each token and user,
// and what they add to the daily rollups, applied inside the transaction that
// inserts the rows. Statements are few and sorted (tokens, then users, then
// rollups, each by key) so concurrent writers lock rows in the same order.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db.js';
import type { NewUsageLog, Schema, UsageDailyTable } from '../schema.js';

export interface TokenCharge {
  cost: number;
  lastUsedAt: number;
}

export interface BatchCharges {
  /** Every token named by a row (cost may be 0: last_used_at still moves). */
  tokens: Map<number, TokenCharge>;
  /** Users with a positive cost. */
  users: Map<number, number>;
  daily: UsageDailyTable[];
}

type Row = Omit<NewUsageLog, 'id'>;

const DAY_MS = 86_400_000;
/** The last day asked for: a batch's rows almost always share it (a UTC day is exactly DAY_MS long in JS time). */
let lastDay = { from: NaN, to: NaN, text: '' };

/** 'YYYY-MM-DD' in UTC. */
export function utcDay(ms: number): string {
  if (ms >= lastDay.from && ms < lastDay.to) return lastDay.text;
  const text = new Date(ms).toISOString().slice(0, 10);
  const from = Math.floor(ms / DAY_MS) * DAY_MS;
  lastDay = { from, to: from + DAY_MS, text };
  return text;
}

export function summarizeCharges(rows: readonly Row[]): BatchCharges {
  const tokens = new Map<number, TokenCharge>();
  const users = new Map<number, number>();
  const daily = new Map<string, UsageDailyTable>();
  for (const r of rows) {
    const cost = Math.max(0, r.cost_micros ?? 0);
    const at = r.created_at;
    if (r.token_id !== null && r.token_id !== undefined) {
      const t = tokens.get(r.token_id);
      if (t) {
        t.cost += cost;
        if (at > t.lastUsedAt) t.lastUsedAt = at;
      } else tokens.set(r.token_id, { cost, lastUsedAt: at });
    }
    if (r.user_id !== null && r.user_id !== undefined && cost > 0) {
      users.set(r.user_id, (users.get(r.user_id) ?? 0) + cost);
    }
    const day = utcDay(at);
    const tokenId = r.token_id ?? 0;
    const userId = r.user_id ?? 0;
    const model = r.model_requested ?? '';
    const channelId = r.channel_id ?? 0;
    const key = `${day}\u0000${tokenId}\u0000${userId}\u0000${channelId}\u0000${model}`;
    let d = daily.get(key);
    if (!d) {
      d = { day, token_id: tokenId, user_id: userId, model, channel_id: channelId, requests: 0, errors: 0, input_tokens: 0, output_tokens: 0, image_count: 0, cost_micros: 0 };
      daily.set(key, d);
    }
    d.requests++;
    if (r.status >= 400 || r.status === 0) d.errors++;
    d.input_tokens += (r.input_tokens ?? 0) + (r.cached_input_tokens ?? 0) + (r.cache_write_tokens ?? 0);
    d.output_tokens += (r.output_text_tokens ?? 0) + (r.output_image_tokens ?? 0) + (r.reasoning_tokens ?? 0);
    d.image_count += r.image_count ?? 0;
    d.cost_micros += cost;
  }
  const sortedDaily = [...daily.values()].sort(
    (a, b) =>
      cmp(a.day, b.day) || a.token_id - b.token_id || a.user_id - b.user_id || cmp(a.model, b.model) || a.channel_id - b.channel_id,
  );
  return { tokens, users, daily: sortedDaily };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ids and amounts are integers we computed; inlined so CASE needs no parameter types. */
function lit(n: number) {
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${n}`);
  return sql.lit(n);
}

const IDS_PER_STATEMENT = 500;
const DAILY_ROWS_PER_STATEMENT = 200;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** `pause` runs between statements (SQLite: a macrotask turn, so requests run in between). */
export async function applyCharges(
  trx: Kysely<Schema>,
  kind: DatabaseKind,
  charges: BatchCharges,
  pause: () => Promise<void> = async () => {},
): Promise<void> {
  const tokenIds = [...charges.tokens.keys()].sort((a, b) => a - b);
  for (const ids of chunks(tokenIds, IDS_PER_STATEMENT)) {
    const costCases = sql.join(
      ids.filter((id) => charges.tokens.get(id)!.cost > 0).map((id) => sql`when ${lit(id)} then ${lit(charges.tokens.get(id)!.cost)}`),
      sql` `,
    );
    const atCases = sql.join(ids.map((id) => sql`when ${lit(id)} then ${lit(charges.tokens.get(id)!.lastUsedAt)}`), sql` `);
    const anyCost = ids.some((id) => charges.tokens.get(id)!.cost > 0);
    const usedSet = anyCost ? sql`used_micros = used_micros + case id ${costCases} else 0 end, ` : sql``;
    await sql`update tokens set ${usedSet}last_used_at = case id ${atCases} else last_used_at end
      where id in (${sql.join(ids.map(lit))})`.execute(trx);
    await pause();
  }

  const userIds = [...charges.users.keys()].sort((a, b) => a - b);
  for (const ids of chunks(userIds, IDS_PER_STATEMENT)) {
    const costCase = sql`case id ${sql.join(
      ids.map((id) => sql`when ${lit(id)} then ${lit(charges.users.get(id)!)}`),
      sql` `,
    )} else 0 end`;
    // The root user has no balance limit: its balance stays as the operator set it.
    await sql`update users set used_micros = used_micros + ${costCase},
      balance_micros = case when role = 'root' then balance_micros else balance_micros - ${costCase} end
      where id in (${sql.join(ids.map(lit))})`.execute(trx);
    await pause();
  }

  for (const rows of chunks(charges.daily, DAILY_ROWS_PER_STATEMENT)) {
    await pause();
    const insert = trx.insertInto('usage_daily').values(rows);
    if (kind === 'mysql') {
      // VALUES() works on MariaDB and MySQL 8 alike (the row-alias form is MySQL-only).
      await insert
        .onDuplicateKeyUpdate({
          requests: sql`requests + values(requests)`,
          errors: sql`errors + values(errors)`,
          input_tokens: sql`input_tokens + values(input_tokens)`,
          output_tokens: sql`output_tokens + values(output_tokens)`,
          image_count: sql`image_count + values(image_count)`,
          cost_micros: sql`cost_micros + values(cost_micros)`,
        })
        .execute();
    } else {
      await insert
        .onConflict((oc) =>
          oc.columns(['day', 'token_id', 'user_id', 'model', 'channel_id']).doUpdateSet({
            requests: sql`usage_daily.requests + excluded.requests`,
            errors: sql`usage_daily.errors + excluded.errors`,
            input_tokens: sql`usage_daily.input_tokens + excluded.input_tokens`,
            output_tokens: sql`usage_daily.output_tokens + excluded.output_tokens`,
            image_count: sql`usage_daily.image_count + excluded.image_count`,
            cost_micros: sql`usage_daily.cost_micros + excluded.cost_micros`,
          }),
        )
        .execute();
    }
  }
}

/** Lock conflicts a retry resolves: PostgreSQL deadlock / serialization, MySQL deadlock / lock wait. */
export function isRetryableConflict(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  return e.code === '40P01' || e.code === '40001' || e.errno === 1213 || e.errno === 1205 || e.code === 'ER_LOCK_DEADLOCK';
}
