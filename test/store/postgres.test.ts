import { describe, it } from 'vitest';
import { registerRepositorySuite } from './repository-suite.js';
import { PG_DEFAULT, createPostgresDatabase, serverFromEnv } from './test-databases.js';

const server = serverFromEnv('WAYSTATION_TEST_PG', PG_DEFAULT);
if (server) {
  registerRepositorySuite(`postgres (${server})`, () => createPostgresDatabase(server));
} else {
  describe.skip('postgres (set WAYSTATION_TEST_PG to run)', () => {
    it('runs the repository suite against a PostgreSQL server', () => {});
  });
}
