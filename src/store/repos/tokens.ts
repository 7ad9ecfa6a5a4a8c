// Tokens: the sk-… keys clients call with. Stored as sha256 (for lookup),
// encrypted copy (so the owner can reveal it) and a mask (for lists).
import { generateTokenKey, hashKey, maskKey } from '../crypto.js';
import type { Token } from '../entities.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { TokenInput, TokensRepo } from '../repositories.js';
import type { TokensTable } from '../schema.js';
import type { Updateable } from 'kysely';
import { NO_LIMIT_COLUMNS, limitColumns } from './limits.js';
import { tokenFromRow } from './rows.js';
import { containsIgnoreCase, countAll, defined, guard, insertReturningId, jsonOrNull, page } from './support.js';
import type { RepoContext } from './support.js';

type TokenPatch = Partial<Omit<TokenInput, 'userId' | 'key'>>;

function patchColumns(patch: TokenPatch): Updateable<TokensTable> {
  return defined<Updateable<TokensTable>>({
    name: patch.name,
    status: patch.status,
    unlimited: patch.unlimited === undefined ? undefined : patch.unlimited ? 1 : 0,
    quota_micros: patch.quotaMicros,
    models: patch.models === undefined ? undefined : jsonOrNull(patch.models),
    allow_ips: patch.allowIps === undefined ? undefined : jsonOrNull(patch.allowIps),
    group_name: patch.group,
    expires_at: patch.expiresAt,
    image_output: patch.imageOutput,
    ...limitColumns(patch.limits),
  });
}

function keyColumns(ctx: RepoContext, key: string) {
  return { key_hash: hashKey(key), key_enc: ctx.box.encrypt(key), key_mask: maskKey(key) };
}

export function createTokensRepo(ctx: RepoContext): TokensRepo {
  const { database, bus } = ctx;
  const db = database.db;

  const get = (id: number) =>
    guard(`token ${id}`, async () => {
      const row = await db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? tokenFromRow(row) : undefined;
    });

  const mustGet = async (id: number): Promise<Token> => {
    const token = await get(id);
    if (!token) throw new NotFoundError(`token ${id} not found`);
    return token;
  };

  const create = async (input: TokenInput): Promise<{ token: Token; key: string }> => {
    const key = input.key ?? generateTokenKey();
    const now = ctx.now();
    const limits = limitColumns(input.limits) ?? NO_LIMIT_COLUMNS;
    const id = await guard(`token "${input.name}" (user ${input.userId})`, () =>
      insertReturningId(db, database.kind, 'tokens', {
        user_id: input.userId,
        name: input.name,
        ...keyColumns(ctx, key),
        status: input.status ?? 'enabled',
        unlimited: input.unlimited ? 1 : 0,
        quota_micros: input.quotaMicros ?? 0,
        used_micros: 0,
        models: jsonOrNull(input.models),
        allow_ips: jsonOrNull(input.allowIps),
        group_name: input.group ?? null,
        expires_at: input.expiresAt ?? null,
        last_used_at: null,
        image_output: input.imageOutput ?? null,
        ...limits,
        created_at: now,
        updated_at: now,
      }),
    );
    bus.publish({ entity: 'token', id });
    return { token: await mustGet(id), key };
  };

  const write = async (id: number, values: Updateable<TokensTable>): Promise<Token> => {
    await guard(`token ${id}`, () =>
      db.updateTable('tokens').set({ ...values, updated_at: ctx.now() }).where('id', '=', id).execute(),
    );
    const token = await mustGet(id);
    bus.publish({ entity: 'token', id });
    return token;
  };

  const findByName = (userId: number, name: string) =>
    guard(`token "${name}"`, () =>
      db
        .selectFrom('tokens')
        .select('id')
        .where('user_id', '=', userId)
        .where('name', '=', name)
        .orderBy('id')
        .executeTakeFirst(),
    );

  return {
    get,

    byHash: (keyHash) =>
      guard('token by key', async () => {
        const row = await db.selectFrom('tokens').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
        return row ? tokenFromRow(row) : undefined;
      }),

    list: (opts = {}) =>
      guard('tokens', async () => {
        let base = db.selectFrom('tokens');
        if (opts.userId !== undefined) base = base.where('user_id', '=', opts.userId);
        if (opts.keyword) {
          const kw = opts.keyword;
          base = base.where((eb) => containsIgnoreCase(eb.ref('name'), kw));
        }
        const [rows, count] = await Promise.all([
          page(base.selectAll().orderBy('id'), opts.offset, opts.limit).execute(),
          base.select(countAll()).executeTakeFirstOrThrow(),
        ]);
        return { items: rows.map(tokenFromRow), total: Number(count.n) };
      }),

    create,

    update: (id, patch) => write(id, patchColumns(patch)),

    async upsertByName(input) {
      const existing = await findByName(input.userId, input.name);
      const apply = (id: number) =>
        write(id, { ...patchColumns(input), ...(input.key !== undefined ? keyColumns(ctx, input.key) : {}) });
      if (existing) return { token: await apply(Number(existing.id)), key: input.key };
      try {
        return await create(input);
      } catch (err) {
        // Both writers raced on the same (user, name): the row exists now.
        const raced = err instanceof ConflictError ? await findByName(input.userId, input.name) : undefined;
        if (raced) return { token: await apply(Number(raced.id)), key: input.key };
        throw err;
      }
    },

    async revealKey(id) {
      const row = await guard(`token ${id}`, () =>
        db.selectFrom('tokens').select('key_enc').where('id', '=', id).executeTakeFirst(),
      );
      if (!row) throw new NotFoundError(`token ${id} not found`);
      return ctx.box.decrypt(row.key_enc);
    },

    async delete(id) {
      const res = await guard(`token ${id}`, () => db.deleteFrom('tokens').where('id', '=', id).executeTakeFirst());
      if (Number(res.numDeletedRows) === 0) throw new NotFoundError(`token ${id} not found`);
      bus.publish({ entity: 'token', id });
    },
  };
}
