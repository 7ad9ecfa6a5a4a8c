// Error types of this folder. Both carry messages meant to be printed as-is to
// an operator: no stack trace needed to understand them.

/** A bad process setting (flag or environment variable), or an unusable data directory. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/**
 * A bad declarative config. `problems` holds one line per problem, each naming
 * the path in the file (`channels[2].type: …`); the message prefixes every line
 * with the source so each one reads on its own.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: string[];
  readonly source: string;

  constructor(source: string, problems: string[]) {
    super(problems.map((p) => `${source}: ${p}`).join('\n'));
    this.source = source;
    this.problems = problems;
  }
}
