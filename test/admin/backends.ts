// The databases the SQL-heavy admin tests run on: SQLite always; PostgreSQL
// and MySQL/MariaDB when WAYSTATION_TEST_PG / WAYSTATION_TEST_MYSQL name a
// server (or are `1` for the local defaults), as the store's suites do.
import {
  MYSQL_DEFAULT,
  PG_DEFAULT,
  createMysqlDatabase,
  createPostgresDatabase,
  serverFromEnv,
  type TestDatabase,
} from '../store/test-databases.js';

export interface Backend {
  name: string;
  /** A fresh database; undefined url = the harness's own SQLite file. */
  create(): Promise<{ url: string | undefined; drop(): Promise<void> }>;
}

export function backends(): { run: Backend[]; skipped: string[] } {
  const run: Backend[] = [{ name: 'sqlite', create: async () => ({ url: undefined, drop: async () => {} }) }];
  const skipped: string[] = [];
  const pg = serverFromEnv('WAYSTATION_TEST_PG', PG_DEFAULT);
  const my = serverFromEnv('WAYSTATION_TEST_MYSQL', MYSQL_DEFAULT);
  const wrap = (db: Promise<TestDatabase>) => db.then((d) => ({ url: d.url, drop: () => d.drop() }));
  // pg-pool's end() resolves before its sockets have closed; a forced DROP
  // right after would kill them mid-close and log a dropped connection.
  const settle = (d: { url: string | undefined; drop(): Promise<void> }) => ({
    url: d.url,
    drop: () => new Promise<void>((resolve) => setTimeout(resolve, 200)).then(() => d.drop()),
  });
  if (pg) run.push({ name: 'postgres', create: () => wrap(createPostgresDatabase(pg)).then(settle) });
  else skipped.push('postgres (set WAYSTATION_TEST_PG to run)');
  if (my) run.push({ name: 'mysql', create: () => wrap(createMysqlDatabase(my)) });
  else skipped.push('mysql (set WAYSTATION_TEST_MYSQL to run)');
  return { run, skipped };
}
