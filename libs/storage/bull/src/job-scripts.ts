import type { Queue } from 'bull';

/**
 * Lua over Bull's own key layout (`{prefix}:{queue}:wait|paused|active|
 * delayed|priority|completed|failed`, the job hash at `{prefix}:{queue}:{id}`),
 * for what Bull 4 has no atomic call for. Cancellation is a field of the job
 * hash, so it lives and dies with that run of the job.
 */
export const CANCELLED_FIELD = 'lemoCancelled';
export const CANCELLED_REASON = 'cancelled';

/** [state, cancelled 0|1] in one round trip; Bull's getState takes up to six. */
const STATE_LUA = `
local id = ARGV[1]
local cancelled = redis.call('HEXISTS', KEYS[7], '${CANCELLED_FIELD}')
if redis.call('ZSCORE', KEYS[5], id) then return {'completed', cancelled} end
if redis.call('ZSCORE', KEYS[6], id) then return {'failed', cancelled} end
if redis.call('ZSCORE', KEYS[4], id) then return {'delayed', cancelled} end
if redis.call('LPOS', KEYS[3], id) then return {'active', cancelled} end
return {'waiting', cancelled}
`;

/**
 * A waiting or delayed job is taken off its list and recorded as failed with
 * the cancelled flag (1); an active one is flagged for its handler (2);
 * anything else is left alone (0).
 */
const CANCEL_LUA = `
local id = ARGV[1]
if redis.call('EXISTS', KEYS[7]) == 0 then return 0 end
local taken = redis.call('LREM', KEYS[1], 0, id) + redis.call('LREM', KEYS[2], 0, id) + redis.call('ZREM', KEYS[4], id)
if taken > 0 then
  redis.call('ZREM', KEYS[8], id)
  redis.call('HSET', KEYS[7], '${CANCELLED_FIELD}', ARGV[2], 'failedReason', '${CANCELLED_REASON}', 'finishedOn', ARGV[2])
  redis.call('ZADD', KEYS[6], ARGV[2], id)
  return 1
end
if redis.call('LPOS', KEYS[3], id) then
  redis.call('HSET', KEYS[7], '${CANCELLED_FIELD}', ARGV[2])
  return 2
end
return 0
`;

/** Deletes the job if it finished (so its id can be used again), never a waiting or active one. */
const REMOVE_FINISHED_LUA = `
local id = ARGV[1]
if redis.call('ZSCORE', KEYS[5], id) or redis.call('ZSCORE', KEYS[6], id) then
  redis.call('ZREM', KEYS[5], id)
  redis.call('ZREM', KEYS[6], id)
  redis.call('DEL', KEYS[7], KEYS[7] .. ':logs')
  return 1
end
return 0
`;

export type BullState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

const jobKeys = (queue: Queue, jobId: string): string[] => [
  ...['wait', 'paused', 'active', 'delayed', 'completed', 'failed'].map((list) => queue.toKey(list)),
  queue.toKey(jobId),
  queue.toKey('priority'),
];

const run = (queue: Queue, lua: string, jobId: string, ...args: Array<string | number>): Promise<unknown> => {
  const keys = jobKeys(queue, jobId);
  return queue.client.eval(lua, keys.length, ...keys, jobId, ...args);
};

export async function jobState(queue: Queue, jobId: string): Promise<{ state: BullState; cancelled: boolean }> {
  const [state, cancelled] = (await run(queue, STATE_LUA, jobId)) as [BullState, number];
  return { state, cancelled: cancelled === 1 };
}

export async function cancelJob(queue: Queue, jobId: string, now: number): Promise<'removed' | 'flagged' | null> {
  const outcome = (await run(queue, CANCEL_LUA, jobId, now)) as number;
  return outcome === 1 ? 'removed' : outcome === 2 ? 'flagged' : null;
}

export const removeFinished = async (queue: Queue, jobId: string): Promise<void> => void (await run(queue, REMOVE_FINISHED_LUA, jobId));

/** Whether each job's hash carries the cancelled flag, in one pipeline. */
export async function cancelledFlags(queue: Queue, jobIds: readonly string[]): Promise<boolean[]> {
  if (jobIds.length === 0) return [];
  const pipeline = queue.client.pipeline();
  for (const id of jobIds) pipeline.hexists(queue.toKey(id), CANCELLED_FIELD);
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value === 1;
  });
}

export const isCancelRequested = async (queue: Queue, jobId: string): Promise<boolean> =>
  (await queue.client.hexists(queue.toKey(jobId), CANCELLED_FIELD)) === 1;
