// Column types that mean the same thing on SQLite, PostgreSQL and MySQL.
// MySQL cannot index TEXT, so strings that are indexed (or short) are
// varchar(255); JSON and free text are TEXT.
import { sql } from 'kysely';
import type { ColumnDataType, ColumnDefinitionBuilder, CreateTableBuilder, Expression, Kysely } from 'kysely';
import type { DatabaseKind } from '../database-url.js';

type DataTypeExpression = ColumnDataType | Expression<unknown>;

export interface ColumnTypes {
  /** Auto-increment 32-bit primary key. */
  id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  idType: DataTypeExpression;
  /** Auto-increment 64-bit primary key, for tables that grow without end. */
  bigIdType: DataTypeExpression;
  bigId(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  string: DataTypeExpression;
  text: DataTypeExpression;
  /** Up to 16 MB on MySQL (TEXT stops at 64 KB). */
  longText: DataTypeExpression;
  int: DataTypeExpression;
  bigint: DataTypeExpression;
  double: DataTypeExpression;
  /** A create-table statement with the backend's table options. */
  createTable(db: Kysely<any>, name: string): CreateTableBuilder<string, never>;
}

export function columnTypes(kind: DatabaseKind): ColumnTypes {
  const autoIncrement = (col: ColumnDefinitionBuilder) =>
    kind === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement();
  return {
    idType: kind === 'postgres' ? 'serial' : 'integer',
    id: autoIncrement,
    // SQLite only auto-increments "integer primary key" (already 64-bit).
    bigIdType: kind === 'postgres' ? 'bigserial' : kind === 'mysql' ? 'bigint' : 'integer',
    bigId: autoIncrement,
    string: 'varchar(255)',
    text: 'text',
    longText: kind === 'mysql' ? sql`mediumtext` : 'text',
    int: 'integer',
    bigint: 'bigint',
    double: sql`double precision`,
    createTable(db, name) {
      const builder = db.schema.createTable(name);
      // Binary collation: the same case-sensitive uniqueness as the other backends.
      return kind === 'mysql'
        ? builder.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`)
        : builder;
    },
  };
}
