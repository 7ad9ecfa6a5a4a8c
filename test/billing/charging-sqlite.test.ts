import { registerChargingSuite } from './charging-suite.js';
import { createSqliteDatabase } from '../store/test-databases.js';

registerChargingSuite('charging on sqlite', createSqliteDatabase, { oneConnection: true });
