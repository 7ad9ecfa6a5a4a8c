// The upstream simulator: fake OpenAI, Anthropic and Gemini services with
// real PNGs, streaming, usage and fault injection. See README.md.

export { createSimulatorHandler, startSimulator } from './server.js';
export type { RunningSimulator, SimulatorHandler, SimulatorOptions } from './server.js';
export { Journal, type JournalEntry } from './journal.js';
export { getImage, peekImage, setImageCacheBudget, type SimImage } from './png.js';
export { imageDimensions } from './image-header.js';
export { parseFaults, splitModelFault, type FaultPlan } from './faults.js';
export { ServiceAccounts, type IssuedAccessToken, type SimServiceAccount } from './service-accounts.js';
export { createTestServiceAccount, type TestServiceAccount } from './test-service-account.js';
