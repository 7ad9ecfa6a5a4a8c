import { registerRepositorySuite } from './repository-suite.js';
import { createSqliteDatabase } from './test-databases.js';

registerRepositorySuite('sqlite', createSqliteDatabase);
