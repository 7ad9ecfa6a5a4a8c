// How a UsageWriter finds out that its sink is the usage repository of a
// SQLite database it may write from a worker thread: the repository carries
// this under a symbol, beside (not part of) the UsageLogsRepo contract, so a
// wrapped or fake sink simply takes the ordinary insertMany path.
import type { Database } from './db.js';
import type { ChargedIds } from './repos/usage-batch.js';

const OFFLOAD = Symbol('waystation.usageOffload');

export interface UsageOffload {
  database: Database;
  /** Publishes (throttled, as insertMany does) the events for what a committed batch charged. */
  publishCharged(ids: ChargedIds): void;
}

export function attachOffload<T extends object>(repo: T, offload: UsageOffload): T {
  Object.defineProperty(repo, OFFLOAD, { value: offload, enumerable: false });
  return repo;
}

export function offloadOf(sink: object): UsageOffload | undefined {
  return (sink as { [OFFLOAD]?: UsageOffload })[OFFLOAD];
}
