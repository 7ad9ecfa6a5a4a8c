// The first schema: every table in ../schema.ts with its indexes.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database-url.js';
import { columnTypes } from './column-types.js';

export function initialMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await t
        .createTable(db, 'users')
        .addColumn('id', t.idType, t.id)
        .addColumn('name', t.string, (c) => c.notNull())
        .addColumn('display_name', t.string, (c) => c.notNull())
        .addColumn('role', t.string, (c) => c.notNull())
        .addColumn('group_name', t.string, (c) => c.notNull())
        .addColumn('balance_micros', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('used_micros', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('access_key_hash', t.string)
        .addColumn('access_key_enc', t.text)
        .addColumn('status', t.string, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_name_unique').on('users').column('name').unique().execute();
      await db.schema.createIndex('users_access_key_hash_unique').on('users').column('access_key_hash').unique().execute();

      await t
        .createTable(db, 'groups')
        .addColumn('id', t.idType, t.id)
        .addColumn('name', t.string, (c) => c.notNull())
        .addColumn('ratio', t.double, (c) => c.notNull().defaultTo(1))
        .addColumn('description', t.text, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('groups_name_unique').on('groups').column('name').unique().execute();

      await t
        .createTable(db, 'tokens')
        .addColumn('id', t.idType, t.id)
        .addColumn('user_id', t.int, (c) => c.notNull())
        .addColumn('name', t.string, (c) => c.notNull())
        .addColumn('key_hash', t.string, (c) => c.notNull())
        .addColumn('key_enc', t.text, (c) => c.notNull())
        .addColumn('key_mask', t.string, (c) => c.notNull())
        .addColumn('status', t.string, (c) => c.notNull())
        .addColumn('unlimited', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('quota_micros', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('used_micros', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('models', t.text)
        .addColumn('allow_ips', t.text)
        .addColumn('group_name', t.string)
        .addColumn('expires_at', t.bigint)
        .addColumn('last_used_at', t.bigint)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        // Table-level: MySQL ignores a REFERENCES written on the column.
        .addForeignKeyConstraint('tokens_user_fk', ['user_id'], 'users', ['id'], (fk) => fk.onDelete('cascade'))
        .execute();
      await db.schema.createIndex('tokens_key_hash_unique').on('tokens').column('key_hash').unique().execute();
      await db.schema.createIndex('tokens_user_id').on('tokens').column('user_id').execute();

      await t
        .createTable(db, 'channels')
        .addColumn('id', t.idType, t.id)
        .addColumn('name', t.string, (c) => c.notNull())
        .addColumn('type', t.string, (c) => c.notNull())
        .addColumn('base_url', t.text, (c) => c.notNull())
        .addColumn('models', t.longText, (c) => c.notNull())
        .addColumn('model_mapping', t.longText, (c) => c.notNull())
        .addColumn('groups', t.text, (c) => c.notNull())
        .addColumn('priority', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('weight', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('status', t.string, (c) => c.notNull())
        .addColumn('status_reason', t.text)
        .addColumn('settings', t.longText, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('channels_name_unique').on('channels').column('name').unique().execute();

      await t
        .createTable(db, 'channel_keys')
        .addColumn('id', t.idType, t.id)
        .addColumn('channel_id', t.int, (c) => c.notNull())
        .addColumn('key_enc', t.text, (c) => c.notNull())
        .addColumn('key_hash', t.string, (c) => c.notNull())
        .addColumn('position', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('status', t.string, (c) => c.notNull())
        .addColumn('status_reason', t.text)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addForeignKeyConstraint('channel_keys_channel_fk', ['channel_id'], 'channels', ['id'], (fk) => fk.onDelete('cascade'))
        .execute();
      await db.schema.createIndex('channel_keys_channel_id').on('channel_keys').column('channel_id').execute();

      await t
        .createTable(db, 'prices')
        .addColumn('id', t.idType, t.id)
        .addColumn('model', t.string, (c) => c.notNull())
        .addColumn('data', t.text, (c) => c.notNull())
        .addColumn('source', t.string, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('prices_model_unique').on('prices').column('model').unique().execute();

      // No foreign keys: logs outlive the tokens, users and channels they name.
      await t
        .createTable(db, 'usage_logs')
        .addColumn('id', t.bigIdType, t.bigId)
        .addColumn('request_id', t.string, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('token_id', t.int)
        .addColumn('user_id', t.int)
        .addColumn('token_name', t.string)
        .addColumn('route', t.string, (c) => c.notNull())
        .addColumn('model_requested', t.string)
        .addColumn('model_served', t.string)
        .addColumn('channel_id', t.int)
        .addColumn('attempts', t.text)
        .addColumn('status', t.int, (c) => c.notNull())
        .addColumn('error', t.text)
        .addColumn('is_stream', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('input_tokens', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('cached_input_tokens', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('cache_write_tokens', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('output_text_tokens', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('output_image_tokens', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('reasoning_tokens', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('image_count', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('image_size', t.string)
        .addColumn('aspect_ratio', t.string)
        .addColumn('cost_micros', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('latency_ms', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('first_byte_ms', t.int)
        .addColumn('client_ip', t.string)
        .execute();
      await db.schema.createIndex('usage_logs_created_at').on('usage_logs').column('created_at').execute();
      await db.schema.createIndex('usage_logs_token_created').on('usage_logs').columns(['token_id', 'created_at']).execute();
      await db.schema.createIndex('usage_logs_user_created').on('usage_logs').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('usage_logs_model_requested').on('usage_logs').column('model_requested').execute();
      await db.schema.createIndex('usage_logs_channel_id').on('usage_logs').column('channel_id').execute();

      await t
        .createTable(db, 'tasks')
        .addColumn('id', t.idType, t.id)
        .addColumn('task_id', t.string, (c) => c.notNull())
        .addColumn('kind', t.string, (c) => c.notNull())
        .addColumn('status', t.string, (c) => c.notNull())
        .addColumn('token_id', t.int)
        .addColumn('user_id', t.int)
        .addColumn('channel_id', t.int)
        .addColumn('model', t.string)
        .addColumn('upstream_task_id', t.string)
        .addColumn('request', t.longText)
        .addColumn('result', t.longText)
        .addColumn('cost_micros', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tasks_task_id_unique').on('tasks').column('task_id').unique().execute();

      await t
        .createTable(db, 'meta')
        .addColumn('key', t.string, (c) => c.primaryKey())
        .addColumn('value', t.text, (c) => c.notNull())
        .addColumn('expires_at', t.bigint)
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      for (const table of ['meta', 'tasks', 'usage_logs', 'prices', 'channel_keys', 'channels', 'tokens', 'groups', 'users']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
