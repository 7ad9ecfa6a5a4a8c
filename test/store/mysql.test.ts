import { describe, it } from 'vitest';
import { registerRepositorySuite } from './repository-suite.js';
import { MYSQL_DEFAULT, createMysqlDatabase, serverFromEnv } from './test-databases.js';

const server = serverFromEnv('WAYSTATION_TEST_MYSQL', MYSQL_DEFAULT);
if (server) {
  registerRepositorySuite(`mysql (${server})`, () => createMysqlDatabase(server));
} else {
  describe.skip('mysql (set WAYSTATION_TEST_MYSQL to run)', () => {
    it('runs the repository suite against a MySQL / MariaDB server', () => {});
  });
}
