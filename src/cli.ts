// `waystation serve | simulate | --help`: the command line. Every failure it
// knows about ends as one line on stderr and a non-zero exit, never a stack.
import { fileURLToPath } from 'node:url';
import { runServe } from './server/serve-command.js';
import { runSimulate } from './server/simulate-command.js';
import { describeStartupError } from './server/startup-errors.js';

export const HELP = `waystation — a self-hosted AI API gateway

Usage:
  waystation serve [options]      run the gateway (default command)
  waystation simulate [options]   run the upstream simulator (OpenAI, Anthropic, Gemini)
  waystation --help | --version

serve options (env in brackets):
  --port N            listen port [PORT] (3000)
  --host H            bind address [HOST] (0.0.0.0)
  --config FILE       YAML config [WAYSTATION_CONFIG] (./waystation.yaml if present)
  --database URL      sqlite:… | postgres://… | mysql://… [DATABASE_URL] (sqlite:./data/waystation.db)
  --redis URL         shared state for several nodes [REDIS_URL]
  --workers N|auto    worker processes [WORKERS] (1)
  --data-dir DIR      keys, SQLite file, stored images [WAYSTATION_DATA_DIR] (./data)
  --body-limit SIZE   largest request body, e.g. 32mb [WAYSTATION_BODY_LIMIT]
  --shutdown-grace MS time in-flight requests get on stop [WAYSTATION_SHUTDOWN_GRACE_MS] (30000)
  --log-level LEVEL   [LOG_LEVEL] (info)
  --allow-unpriced    serve models with no price (free) [WAYSTATION_ALLOW_UNPRICED]
  --log-retention-days N  keep usage rows N days, 0 = forever [WAYSTATION_LOG_RETENTION_DAYS] (30)
  --inline-data-limit SIZE  inline image data per Gemini request [WAYSTATION_INLINE_DATA_LIMIT] (20mb)
  --image-output MODE how chat answers carry images: images|markdown|both|url [WAYSTATION_IMAGE_OUTPUT] (both)
  --image-url-ttl DUR lifetime of stored images and their signed links [WAYSTATION_IMAGE_URL_TTL] (24h)
  --image-fetch-allow-private  let image_url fetches reach private addresses [WAYSTATION_IMAGE_FETCH_ALLOW_PRIVATE]
  --channel-retest DUR  retest auto-disabled channels [WAYSTATION_CHANNEL_RETEST] (5m, 0 = off)
  --demo              add a simulator channel and a demo token, print a curl to try
  also: ADMIN_KEY (root admin key), WAYSTATION_SECRET (encrypts upstream keys at rest)

simulate options:
  --port N            (9000)
  --host H            (127.0.0.1)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        return await runServe([]);
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return 0;
      case '--version':
      case '-v':
        process.stdout.write(`${await version()}\n`);
        return 0;
      case 'serve':
        return await runServe(rest);
      case 'simulate':
        return await runSimulate(rest);
      default:
        if (command.startsWith('--')) return await runServe(argv);
        process.stderr.write(`waystation: unknown command "${command}"; try --help\n`);
        return 2;
    }
  } catch (err) {
    process.stderr.write(`waystation: ${describeStartupError(err)}\n`);
    return 1;
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkgPath = fileURLToPath(new URL('../package.json', import.meta.url));
  return (JSON.parse(await readFile(pkgPath, 'utf8')) as { version: string }).version;
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  // Exit explicitly, as bin/waystation.js does: a cluster worker's IPC channel would keep the process alive.
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
