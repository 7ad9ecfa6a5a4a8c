// The console built by Vite into a temp folder, served by a real gateway on a
// simulator channel: what a browser test signs in to.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { simulatorConfig, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

const webRoot = fileURLToPath(new URL('../../web', import.meta.url));

export interface ConsoleUnderTest {
  url: string;
  gateway: TestGateway;
  sim: TestSimulator;
  close(): Promise<void>;
}

/** Builds web/ (a few seconds) so the test always sees the current sources. */
export async function buildConsole(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'ws-console-'));
  await build({ root: webRoot, configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export async function startConsole(extraConfig = ''): Promise<ConsoleUnderTest> {
  const consoleDir = await buildConsole();
  const sim = await startTestSimulator();
  const gateway = await startTestGateway(simulatorConfig(sim.url, extraConfig), {}, { consoleDir });
  return {
    url: gateway.url,
    gateway,
    sim,
    async close() {
      await gateway.close();
      await sim.close();
      rmSync(consoleDir, { recursive: true, force: true });
    },
  };
}
