// Checks that span entries of a config that already passed the schema:
// duplicates, and references to groups. (Whether a token's user exists in the
// database is only known at apply time; see apply.ts.)
import type { WaystationConfig } from './schema.js';
import { formatPath, type Problem } from './zod-messages.js';

export const DEFAULT_GROUP = 'default';

export function crossCheck(config: WaystationConfig): Problem[] {
  const problems: Problem[] = [];
  const report = (path: PropertyKey[], message: string) => problems.push({ path, message });
  const groups = new Set([DEFAULT_GROUP, ...Object.keys(config.groups)]);
  const groupList = [...groups].join(', ');
  const checkGroup = (path: PropertyKey[], name: string | undefined) => {
    if (name !== undefined && !groups.has(name)) {
      report(path, `unknown group "${name}"; define it under groups (known: ${groupList})`);
    }
  };

  const channelNames = new Map<string, number>();
  config.channels.forEach((c, i) => {
    const first = channelNames.get(c.name);
    if (first !== undefined) report(['channels', i, 'name'], `duplicate channel "${c.name}" (also channels[${first}])`);
    else channelNames.set(c.name, i);
    c.groups?.forEach((g, j) => checkGroup(['channels', i, 'groups', j], g));
    repeats(c.models).forEach(([j, m]) => report(['channels', i, 'models', j], `"${m}" is listed twice`));
    repeats(c.keys).forEach(([j]) => report(['channels', i, 'keys', j], 'the same key is listed twice'));
  });

  const userNames = new Map<string, number>();
  config.users.forEach((u, i) => {
    const first = userNames.get(u.name);
    if (first !== undefined) report(['users', i, 'name'], `duplicate user "${u.name}" (also users[${first}])`);
    else userNames.set(u.name, i);
    checkGroup(['users', i, 'group'], u.group);
  });

  // Secrets must be unique across tokens and access keys: each one names exactly one owner.
  const secrets = new Map<string, string>();
  const claimSecret = (path: PropertyKey[], secret: string | undefined) => {
    if (secret === undefined) return;
    const first = secrets.get(secret);
    if (first !== undefined) report(path, `same key as ${first}`);
    else secrets.set(secret, formatPath(path));
  };
  config.users.forEach((u, i) => claimSecret(['users', i, 'access_key'], u.access_key));

  const tokenNames = new Map<string, number>();
  config.tokens.forEach((t, i) => {
    // Tokens without a user belong to the root admin: one namespace for all of them.
    const owner = t.user ?? '(root admin)';
    const id = `${owner}\u0000${t.name}`;
    const first = tokenNames.get(id);
    if (first !== undefined) {
      report(['tokens', i, 'name'], `duplicate token "${t.name}" for user ${owner} (also tokens[${first}])`);
    } else tokenNames.set(id, i);
    claimSecret(['tokens', i, 'key'], t.key);
    checkGroup(['tokens', i, 'group'], t.group);
  });

  return problems;
}

/** [index, value] of every entry that repeats an earlier one. */
function repeats(values: readonly string[]): Array<[number, string]> {
  const seen = new Set<string>();
  const out: Array<[number, string]> = [];
  values.forEach((v, i) => {
    if (seen.has(v)) out.push([i, v]);
    seen.add(v);
  });
  return out;
}
