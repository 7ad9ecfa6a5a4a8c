// Reads what the StoreCache holds, whole tables or single rows, already in
// entity shape (channel keys decrypted). Kept apart from the cache so the
// cache file is only about state and ordering.
import type { SecretBox } from './crypto.js';
import type { Database } from './db.js';
import type { Channel, Group, Price, Token, User } from './entities.js';
import { channelFromRow, groupFromRow, keysByChannel, priceFromRow, tokenFromRow, userFromRow } from './repos/rows.js';

export interface CachedUser {
  user: User;
  accessKeyHash: string | null;
}

export class CacheLoader {
  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
  ) {}

  private get db() {
    return this.database.db;
  }

  async users(id?: number): Promise<CachedUser[]> {
    let q = this.db.selectFrom('users').selectAll();
    if (id !== undefined) q = q.where('id', '=', id);
    const rows = await q.execute();
    return rows.map((r) => ({ user: userFromRow(r), accessKeyHash: r.access_key_hash }));
  }

  async groups(id?: number): Promise<Group[]> {
    let q = this.db.selectFrom('groups').selectAll();
    if (id !== undefined) q = q.where('id', '=', id);
    return (await q.execute()).map(groupFromRow);
  }

  async tokens(id?: number): Promise<Token[]> {
    let q = this.db.selectFrom('tokens').selectAll();
    if (id !== undefined) q = q.where('id', '=', id);
    return (await q.execute()).map(tokenFromRow);
  }

  async channels(id?: number): Promise<Channel[]> {
    let channels = this.db.selectFrom('channels').selectAll().orderBy('id');
    let keys = this.db.selectFrom('channel_keys').selectAll().orderBy('channel_id').orderBy('position').orderBy('id');
    if (id !== undefined) {
      channels = channels.where('id', '=', id);
      keys = keys.where('channel_id', '=', id);
    }
    const [rows, keyRows] = [await channels.execute(), await keys.execute()];
    const byChannel = keysByChannel(keyRows);
    return rows.map((r) => channelFromRow(r, byChannel.get(Number(r.id)) ?? [], this.box));
  }

  async prices(model?: string): Promise<Price[]> {
    let q = this.db.selectFrom('prices').selectAll();
    if (model !== undefined) q = q.where('model', '=', model);
    return (await q.execute()).map(priceFromRow);
  }
}
