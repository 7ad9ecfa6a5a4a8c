// What a gateway writes into its database at start-up: the root admin user,
// the config file's entities and the demo channel and token. All of it is
// idempotent (a restart applies it again). Workers of one cluster, or nodes
// on one database, starting together race to create the same rows: the loser
// meets a unique key and runs the seeding again, now updating what the
// winner created.
import { applyConfig, type ApplySummary } from '../config/apply.js';
import type { WaystationConfig } from '../config/schema.js';
import { ConflictError } from '../store/errors.js';
import type { Repositories } from '../store/repositories.js';
import { ensureDemo, type DemoInfo } from './demo.js';
import { ensureRootUser } from './root-user.js';

export interface SeedInput {
  adminKey: string;
  config: WaystationConfig | undefined;
  /** The config file's name, for messages. */
  configSource: string | undefined;
  demo: boolean;
}

export interface Seeded {
  applied: ApplySummary | undefined;
  demo: DemoInfo | undefined;
}

/** A race is lost at most once per row kind; three tries are plenty. */
const ATTEMPTS = 3;

export async function seedStore(repos: Repositories, input: SeedInput): Promise<Seeded> {
  for (let attempt = 1; ; attempt++) {
    try {
      const root = await ensureRootUser(repos, input.adminKey);
      const applied = input.config ? await applyConfig(input.config, repos, { rootUserId: root.id, sourceName: input.configSource }) : undefined;
      const demo = input.demo ? await ensureDemo(repos, root.id) : undefined;
      return { applied, demo };
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= ATTEMPTS) throw err;
    }
  }
}
