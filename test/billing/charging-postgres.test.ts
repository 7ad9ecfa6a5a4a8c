import { describe, it } from 'vitest';
import { registerChargingSuite } from './charging-suite.js';
import { PG_DEFAULT, createPostgresDatabase, serverFromEnv } from '../store/test-databases.js';

const server = serverFromEnv('WAYSTATION_TEST_PG', PG_DEFAULT);
if (server) {
  registerChargingSuite(`charging on postgres (${server})`, () => createPostgresDatabase(server));
} else {
  describe.skip('charging on postgres (set WAYSTATION_TEST_PG to run)', () => {
    it('runs the charging suite against a PostgreSQL server', () => {});
  });
}
