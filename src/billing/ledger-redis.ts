// The quota ledger shared by every node through Redis. Each token and each
// user has a hash {used, held} and a sorted set of open holds (member
// "<id>:<amount>", score = expiry), so a node that dies mid-request cannot pin
// money forever. One Lua script checks and reserves atomically; another settles.
// Keys carry a hash tag on the user id, so a token's and its user's keys share
// a Redis Cluster slot (tokens never change user).
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LedgerUnavailableError, QuotaExceededError, checkReserveRequest, settledAmount } from './ledger-types.js';
import type { LedgerCounts, QuotaLedger, QuotaLimit, Reservation, ReserveRequest } from './ledger-types.js';

/**
 * KEYS: token hash, token holds, user hash, user holds.
 * ARGV: amount, token limit ('' = none), token used (cache), user limit
 * ('' = none), user used (cache), hold member, hold ttl ms, key ttl ms.
 * Returns {1} when held, {0, limit, left} when refused.
 */
export const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local amount = tonumber(ARGV[1])
local function int(x) return string.format('%.0f', x) end

-- Drops expired holds, lifts 'used' to the cache's figure when that is ahead.
local function load(hash, holds, cached)
  local held = tonumber(redis.call('HGET', hash, 'held') or '0')
  local expired = redis.call('ZRANGEBYSCORE', holds, '-inf', now)
  if #expired > 0 then
    for _, m in ipairs(expired) do held = held - tonumber(string.match(m, ':(%d+)$')) end
    redis.call('ZREMRANGEBYSCORE', holds, '-inf', now)
    if held < 0 then held = 0 end
    redis.call('HSET', hash, 'held', int(held))
  end
  local used = tonumber(redis.call('HGET', hash, 'used') or '0')
  if cached > used then
    used = cached
    redis.call('HSET', hash, 'used', int(used))
  end
  return used, held
end

local tUsed, tHeld = load(KEYS[1], KEYS[2], tonumber(ARGV[3]))
local uUsed, uHeld = load(KEYS[3], KEYS[4], tonumber(ARGV[5]))
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[8]) end
if ARGV[2] ~= '' then
  local left = tonumber(ARGV[2]) - tUsed - tHeld
  if amount > left then return {0, 'token_quota', int(left)} end
end
if ARGV[4] ~= '' then
  local left = tonumber(ARGV[4]) - uUsed - uHeld
  if amount > left then return {0, 'user_balance', int(left)} end
end
local expires = now + tonumber(ARGV[7])
if amount > 0 then
  redis.call('HINCRBY', KEYS[1], 'held', ARGV[1])
  redis.call('HINCRBY', KEYS[3], 'held', ARGV[1])
end
redis.call('ZADD', KEYS[2], expires, ARGV[6])
redis.call('ZADD', KEYS[4], expires, ARGV[6])
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[8]) end
return {1}
`;

/**
 * KEYS as above. ARGV: hold member, held amount, actual cost, key ttl ms.
 * A hold that already expired freed its amount then; only 'used' moves.
 */
export const SETTLE_SCRIPT = `
local held = tonumber(ARGV[2])
local function settle(hash, holds)
  if redis.call('ZREM', holds, ARGV[1]) == 1 and held > 0 then
    redis.call('HINCRBY', hash, 'held', string.format('%.0f', -held))
  end
  if ARGV[3] ~= '0' then redis.call('HINCRBY', hash, 'used', ARGV[3]) end
  redis.call('PEXPIRE', hash, ARGV[4])
  redis.call('PEXPIRE', holds, ARGV[4])
end
settle(KEYS[1], KEYS[2])
settle(KEYS[3], KEYS[4])
return 1
`;

interface RedisLedgerOptions {
  keyPrefix: string;
  reservationTtlMs: number;
  idleTtlMs: number;
  onError: (err: unknown) => void;
}

class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** EVALSHA, loading the script on NOSCRIPT (first use, or after a Redis restart). */
  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error)?.message ?? '').includes('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

const reserveScript = new Script(RESERVE_SCRIPT);
const settleScript = new Script(SETTLE_SCRIPT);

export function createRedisLedger(redis: Redis, opts: RedisLedgerOptions): QuotaLedger {
  const keysFor = (tokenId: number, userId: number): string[] => {
    const base = `${opts.keyPrefix}:{u${userId}}`;
    return [`${base}:t:${tokenId}`, `${base}:t:${tokenId}:holds`, `${base}:u`, `${base}:u:holds`];
  };
  const unavailable = (err: unknown) =>
    new LedgerUnavailableError(`quota ledger unavailable (redis: ${err instanceof Error ? err.message : String(err)})`, { cause: err });

  return {
    kind: 'redis',

    async reserve(req: ReserveRequest): Promise<Reservation> {
      checkReserveRequest(req);
      const keys = keysFor(req.tokenId, req.userId);
      const id = randomBytes(9).toString('base64url');
      const member = `${id}:${req.amount}`;
      const userLimit = req.userBalance === null ? '' : String(req.userBalance + req.userUsed);
      let reply: unknown;
      try {
        reply = await reserveScript.run(redis, keys, [
          req.amount,
          req.tokenQuota === null ? '' : req.tokenQuota,
          req.tokenUsed,
          userLimit,
          req.userUsed,
          member,
          opts.reservationTtlMs,
          opts.idleTtlMs,
        ]);
      } catch (err) {
        throw unavailable(err);
      }
      const [ok, limit, left] = reply as [number, QuotaLimit?, string?];
      if (Number(ok) !== 1) throw new QuotaExceededError(limit ?? 'token_quota', Number(left ?? 0), req.amount);

      const amount = req.amount;
      let open = true;
      const finish = async (actual: number) => {
        if (!open) return;
        open = false;
        try {
          await settleScript.run(redis, keys, [member, amount, settledAmount(actual), opts.idleTtlMs]);
        } catch (err) {
          opts.onError(unavailable(err));
        }
      };
      return { id, amount, settle: finish, release: () => finish(0) };
    },

    async inspect(tokenId: number, userId: number) {
      const [tokenKey, , userKey] = keysFor(tokenId, userId);
      const read = async (key: string): Promise<LedgerCounts | undefined> => {
        const h = await redis.hgetall(key);
        if (h.used === undefined && h.held === undefined) return undefined;
        return { used: Number(h.used ?? 0), held: Number(h.held ?? 0) };
      };
      try {
        return { token: await read(tokenKey!), user: await read(userKey!) };
      } catch (err) {
        throw unavailable(err);
      }
    },

    async close() {
      // The Redis client belongs to whoever passed it in.
    },
  };
}
