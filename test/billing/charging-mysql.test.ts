import { describe, it } from 'vitest';
import { registerChargingSuite } from './charging-suite.js';
import { MYSQL_DEFAULT, createMysqlDatabase, serverFromEnv } from '../store/test-databases.js';

const server = serverFromEnv('WAYSTATION_TEST_MYSQL', MYSQL_DEFAULT);
if (server) {
  registerChargingSuite(`charging on mysql (${server})`, () => createMysqlDatabase(server));
} else {
  describe.skip('charging on mysql (set WAYSTATION_TEST_MYSQL to run)', () => {
    it('runs the charging suite against a MySQL / MariaDB server', () => {});
  });
}
