// Redis connections that fail fast: a node started with REDIS_URL must either
// reach Redis within a few seconds or exit with one clear line.
import { Redis } from 'ioredis';
import { redactUrl } from './database-url.js';
import { RedisError, describeError } from './errors.js';

export interface ConnectRedisOptions {
  /** Give up after this long (default 3000 ms). */
  timeoutMs?: number;
  /** Errors after the first connect (ioredis reconnects by itself). */
  onError?: (err: Error) => void;
}

export async function connectRedis(url: string, name: string, opts: ConnectRedisOptions = {}): Promise<Redis> {
  const shown = redactUrl(url);
  if (!/^rediss?:\/\//i.test(url.trim())) {
    throw new RedisError(`unsupported Redis URL "${shown}" (expected redis://host:port or rediss://…)`);
  }
  const timeoutMs = opts.timeoutMs ?? 3000;
  let client: Redis;
  try {
    client = new Redis(url.trim(), { lazyConnect: true, connectionName: name, connectTimeout: timeoutMs });
  } catch (err) {
    throw new RedisError(`redis unreachable: ${shown} (${describeError(err)})`, { cause: err });
  }
  // ioredis rejects connect() with a bare "Connection is closed": keep the real reason.
  let lastError: Error | undefined;
  let connected = false;
  client.on('error', (err: Error) => {
    lastError = err;
    if (connected) opts.onError?.(err);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    connected = true;
    return client;
  } catch (err) {
    client.disconnect();
    const reason = lastError ? describeError(lastError) : describeError(err);
    throw new RedisError(`redis unreachable: ${shown} (${reason})`, { cause: lastError ?? err });
  } finally {
    clearTimeout(timer);
  }
}

/** Closes politely when Redis is there, at once when it is not. */
export async function closeRedis(client: Redis, timeoutMs = 1000): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.quit(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
  } catch {
    // quit failed: the connection is going away anyway
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
