// Component tests talk to a real gateway (SQLite in a temp folder) with a
// simulator channel, started once in Node for the whole `web` project. Tests
// read its address with `inject('gatewayUrl')`; each test names what it
// creates uniquely, since they share this one gateway.
import type { TestProject } from 'vitest/node';
import { simulatorConfig, startTestGateway, startTestSimulator, TEST_ADMIN_KEY, TOKEN_KEY } from '../../../test/helpers/gateway.js';

declare module 'vitest' {
  export interface ProvidedContext {
    gatewayUrl: string;
    adminKey: string;
    tokenKey: string;
  }
}

export default async function setup(project: TestProject) {
  const sim = await startTestSimulator();
  const gateway = await startTestGateway(simulatorConfig(sim.url));
  project.provide('gatewayUrl', gateway.url);
  project.provide('adminKey', TEST_ADMIN_KEY);
  project.provide('tokenKey', TOKEN_KEY);
  return async () => {
    await gateway.close();
    await sim.close();
  };
}
