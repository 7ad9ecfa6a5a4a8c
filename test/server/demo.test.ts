import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoCurl } from '../../src/server/demo.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway(undefined, { demo: true });
});
afterAll(async () => gw?.close());

it('the --demo curl really saves a 16:9 PNG from the built-in simulator', async () => {
  expect(gw.gw.demo?.tokenKey).toMatch(/^sk-/);
  // Asynchronously: the gateway answering the curl runs in this process.
  await promisify(execFile)('bash', ['-c', demoCurl(gw.url, gw.gw.demo!.tokenKey)], { cwd: gw.dataDir });
  const png = PNG.sync.read(readFileSync(join(gw.dataDir, 'waystation-demo.png')));
  expect([png.width, png.height]).toEqual([1344, 768]);
});
