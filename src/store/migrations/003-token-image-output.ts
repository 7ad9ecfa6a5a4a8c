// Per-token choice of how OpenAI chat answers carry generated images
// ('images' | 'markdown' | 'both' | 'url'); NULL leaves it to the channel's
// settings.image_output, else the gateway's imageOutput setting.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database-url.js';
import { columnTypes } from './column-types.js';

export function tokenImageOutputMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('tokens').addColumn('image_output', t.string).execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('tokens').dropColumn('image_output').execute();
    },
  };
}
