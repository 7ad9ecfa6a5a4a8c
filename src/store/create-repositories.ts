// Wires every repository to one database, one SecretBox and one ChangeBus.
import type { ChangeBus } from './change-bus.js';
import type { SecretBox } from './crypto.js';
import type { Database } from './db.js';
import type { Repositories } from './repositories.js';
import { createChannelsRepo } from './repos/channels.js';
import { createGroupsRepo } from './repos/groups.js';
import { createPricesRepo } from './repos/prices.js';
import { createTokensRepo } from './repos/tokens.js';
import { createUsageLogsRepo } from './repos/usage-logs.js';
import { createUsersRepo } from './repos/users.js';
import type { RepoContext } from './repos/support.js';

export function createRepositories(
  database: Database,
  box: SecretBox,
  bus: ChangeBus,
  opts: { now?: () => number; chargeEventIntervalMs?: number } = {},
): Repositories {
  const ctx: RepoContext = { database, box, bus, now: opts.now ?? Date.now };
  return {
    users: createUsersRepo(ctx),
    groups: createGroupsRepo(ctx),
    tokens: createTokensRepo(ctx),
    channels: createChannelsRepo(ctx),
    prices: createPricesRepo(ctx),
    usageLogs: createUsageLogsRepo(ctx, { chargeEventIntervalMs: opts.chargeEventIntervalMs }),
  };
}
