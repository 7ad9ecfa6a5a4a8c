// The Lua run by the Redis limiter. Each admit is one script, so every check
// and every increment for the token and the user happen atomically across all
// nodes. Keys per subject: `<prefix>t:<id>:win` / `<prefix>u:<id>:win` (hash:
// w = minute index, rp/rc = requests in the previous/current minute, tp/tc =
// tokens) and `…:cc` (sorted set: in-flight admission id → lease expiry, ms).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** ARGV[1] is the caller's clock in ms, or -1 for the Redis server's clock (shared by every node). */
const NOW = `
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * KEYS: token win, token cc, user win, user cc.
 * ARGV: now, window ms, lease ms, admission id, token rpm, tpm, concurrency,
 * user rpm, tpm, concurrency (0 = no limit; a subject with none is not touched).
 * Returns {1} when admitted, else {0, elapsed ms, then per refused limit:
 * subject (0 token, 1 user), kind (1 rpm, 2 tpm, 3 concurrency), previous
 * count, current count, limit}. A refusal writes nothing but expired-lease cleanup.
 */
export const ADMIT_LUA = `${NOW}
local W = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local win = math.floor(now / W)
local elapsed = now - win * W
local out = {0, elapsed}
local function refuse(s, kind, prev, cur, limit)
  local n = #out
  out[n + 1] = s; out[n + 2] = kind; out[n + 3] = prev; out[n + 4] = cur; out[n + 5] = limit
end
-- Room for one more: floor(prev * overlap) + cur + 1 <= limit, without division.
local function room(prev, cur, limit)
  return prev * (W - elapsed) < (limit - cur) * W
end
local subjects = {}
for s = 0, 1 do
  local st = {
    rpm = tonumber(ARGV[5 + s * 3]), tpm = tonumber(ARGV[6 + s * 3]), cc = tonumber(ARGV[7 + s * 3]),
    rp = 0, rc = 0, tp = 0, tc = 0,
  }
  if st.rpm > 0 or st.tpm > 0 then
    local h = redis.call('HMGET', KEYS[1 + s * 2], 'w', 'rp', 'rc', 'tp', 'tc')
    local w = tonumber(h[1])
    if w and w >= win then
      st.rp = tonumber(h[2]) or 0; st.rc = tonumber(h[3]) or 0
      st.tp = tonumber(h[4]) or 0; st.tc = tonumber(h[5]) or 0
    elseif w == win - 1 then
      st.rp = tonumber(h[3]) or 0; st.tp = tonumber(h[5]) or 0
    end
    if st.rpm > 0 and not room(st.rp, st.rc, st.rpm) then refuse(s, 1, st.rp, st.rc, st.rpm) end
    if st.tpm > 0 and not room(st.tp, st.tc, st.tpm) then refuse(s, 2, st.tp, st.tc, st.tpm) end
  end
  if st.cc > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[2 + s * 2], '-inf', now)
    local n = redis.call('ZCARD', KEYS[2 + s * 2])
    if n >= st.cc then refuse(s, 3, 0, n, st.cc) end
  end
  subjects[s] = st
end
if #out > 2 then return out end
for s = 0, 1 do
  local st = subjects[s]
  if st.rpm > 0 or st.tpm > 0 then
    local rc = st.rc
    if st.rpm > 0 then rc = rc + 1 end
    redis.call('HSET', KEYS[1 + s * 2], 'w', win, 'rp', st.rp, 'rc', rc, 'tp', st.tp, 'tc', st.tc)
    redis.call('PEXPIRE', KEYS[1 + s * 2], 2 * W)
  end
  if st.cc > 0 then
    redis.call('ZADD', KEYS[2 + s * 2], now + lease, ARGV[4])
    redis.call('PEXPIRE', KEYS[2 + s * 2], 2 * lease)
  end
end
return {1}
`;

/**
 * KEYS: as ADMIT. ARGV: now, window ms, admission id, tokens used, then per
 * subject "1"/"0": count tokens, release slot (token first, then user).
 */
export const DONE_LUA = `${NOW}
local W = tonumber(ARGV[2])
local n = tonumber(ARGV[4])
local win = math.floor(now / W)
for s = 0, 1 do
  local wkey = KEYS[1 + s * 2]
  if ARGV[5 + s * 2] == '1' and n > 0 then
    local h = redis.call('HMGET', wkey, 'w', 'rc', 'tc')
    local w = tonumber(h[1])
    if w and w >= win then
      redis.call('HINCRBY', wkey, 'tc', n)
    elseif w == win - 1 then
      redis.call('HSET', wkey, 'w', win, 'rp', tonumber(h[2]) or 0, 'rc', 0, 'tp', tonumber(h[3]) or 0, 'tc', n)
    else
      redis.call('HSET', wkey, 'w', win, 'rp', 0, 'rc', 0, 'tp', 0, 'tc', n)
    end
    redis.call('PEXPIRE', wkey, 2 * W)
  end
  if ARGV[6 + s * 2] == '1' then redis.call('ZREM', KEYS[2 + s * 2], ARGV[3]) end
end
return 1
`;

/**
 * KEYS: in-flight sets (may repeat). ARGV: now, lease ms, then the id held in
 * each KEYS[i]. XX: a slot already released or expired is not brought back.
 */
export const REFRESH_LUA = `${NOW}
local lease = tonumber(ARGV[2])
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', now + lease, ARGV[2 + i])
  redis.call('PEXPIRE', KEYS[i], 2 * lease)
end
return #KEYS
`;

/** EVALSHA, falling back to EVAL once when the server has not seen the script (new or flushed). */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error)?.message).startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

export const ADMIT = new LuaScript(ADMIT_LUA);
export const DONE = new LuaScript(DONE_LUA);
export const REFRESH = new LuaScript(REFRESH_LUA);
