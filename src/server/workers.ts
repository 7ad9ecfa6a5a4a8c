import cluster from 'node:cluster';
import { mkdirSync } from 'node:fs';
import { loadOrCreateAdminKey, loadOrCreateSecret } from '../config/secrets.js';
import type { Settings } from '../config/settings.js';
import { openDatabase } from '../store/db.js';
import { migrateToLatest } from '../store/migrations/index.js';

/**
 * `WORKERS > 1`: the primary makes the shared secrets and runs migrations once,
 * then forks workers that share the port. It restarts a worker that dies, and
 * on SIGTERM/SIGINT passes the signal on and waits for all to drain.
 */
export async function runPrimary(settings: Settings): Promise<number> {
  mkdirSync(settings.dataDir, { recursive: true });
  const secret = loadOrCreateSecret(settings);
  const admin = loadOrCreateAdminKey(settings);
  const database = await openDatabase(settings.databaseUrl);
  await migrateToLatest(database);
  await database.close();
  if (!settings.redisUrl) {
    process.stderr.write(
      `waystation: warning: ${settings.workers} workers without REDIS_URL keep quota holds and rate limits per worker, ` +
        'so they are not exact across workers; set REDIS_URL to share them\n',
    );
  }
  if (admin.created) process.stdout.write(`Root admin key (shown once, saved in ${settings.dataDir}/admin.key): ${admin.key}\n`);

  let stopping = false;
  let failedAtStart = false;
  const env = { ADMIN_KEY: admin.key, WAYSTATION_SECRET: secret };
  for (let i = 0; i < settings.workers; i++) cluster.fork(env);

  let listening = 0;
  // Workers share one port (with --port 0, the one the first worker was given): print where, once all listen.
  cluster.on('listening', (_worker, address) => {
    if (++listening === settings.workers) {
      const host = address.address ?? settings.host;
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      process.stdout.write(`Waystation listening on ${origin} with ${settings.workers} workers\n`);
    }
  });

  return new Promise((resolve) => {
    cluster.on('exit', (worker, code) => {
      if (!stopping && listening < settings.workers && code !== 0) {
        // A worker that cannot start (port in use, bad config) will not start on retry either.
        failedAtStart = true;
        stopping = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      } else if (!stopping) {
        cluster.fork(env);
      }
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve(failedAtStart ? 1 : 0);
    });
    const stop = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
