/**
 * Hot scores decay exponentially: an event of weight w at time t is worth
 * w·2^((t−now)/h) at `now`, h being the half-life. Rewriting every score on
 * each read would cost a write per item, so each (tenant, scenario) keeps a
 * reference time T (hash `hotref`) and the sorted set stores
 * score_ref = Σ w·2^((t−T)/h), the value at T. Every item shares the factor
 * 2^((T−now)/h), so ZRANGE … REV is the current order and a read scales the
 * scores it returns. When new events run more than 2^REBASE_EXPONENT ahead of
 * T, the set is rebased (scores folded to the new T) before doubles lose the
 * small ones. Same model as the embedded adapter.
 */
export const REBASE_EXPONENT = 32;

/** After a rebase, scores below this (at the new reference time) are noise and dropped. */
export const NEGLIGIBLE_SCORE = 1e-12;

export const HOUR_MS = 3600 * 1000;

/** The multiplier that carries a value at `from` to its value at `to`. */
export const decayFactor = (from: number, to: number, halfLifeMs: number): number => 2 ** ((from - to) / halfLifeMs);

/**
 * Adds one namespace's increments atomically: KEYS = [scores zset, reference
 * hash]; ARGV = [halfLifeMs, maxItems, idleTtlMs, then (item, weight, at)…].
 * Numbers go back to Redis through '%.17g': Lua's default conversion keeps 14
 * digits only. Keeps the best `maxItems` and renews both keys' idle TTL.
 */
export const ADD_HOT_SCORES_LUA = `
local hl = tonumber(ARGV[1])
local latest = nil
for i = 4, #ARGV, 3 do
  local at = tonumber(ARGV[i + 2])
  if latest == nil or at > latest then latest = at end
end
if latest == nil then return 0 end
local ref = tonumber(redis.call('HGET', KEYS[2], 'ref'))
if ref == nil or redis.call('EXISTS', KEYS[1]) == 0 then
  ref = latest
elseif (latest - ref) / hl > ${REBASE_EXPONENT} then
  local factor = 2 ^ ((ref - latest) / hl)
  local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
  for j = 1, #all, 2 do
    local score = tonumber(all[j + 1]) * factor
    if math.abs(score) < ${NEGLIGIBLE_SCORE} then
      redis.call('ZREM', KEYS[1], all[j])
    else
      redis.call('ZADD', KEYS[1], string.format('%.17g', score), all[j])
    end
  end
  ref = latest
end
for i = 4, #ARGV, 3 do
  local contribution = tonumber(ARGV[i + 1]) * 2 ^ ((tonumber(ARGV[i + 2]) - ref) / hl)
  if contribution ~= 0 then
    redis.call('ZINCRBY', KEYS[1], string.format('%.17g', contribution), ARGV[i])
  end
end
redis.call('HSET', KEYS[2], 'ref', string.format('%.17g', ref), 'hl', ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;
