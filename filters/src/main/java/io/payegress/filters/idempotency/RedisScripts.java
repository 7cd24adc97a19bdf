package io.payegress.filters.idempotency;

import java.util.List;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of {@link RedisDedupeStore}. Each touches only KEYS[1], the record, and KEYS[2], its attempt marker,
 * which share one hash tag (Cluster-safe), and answers with an array of bulk strings; an empty array means "not done"
 * (wrong owner, wrong state or no record). The record's {@code prior} field says whether the marker was there before
 * its claim.
 */
@SuppressWarnings("rawtypes")
final class RedisScripts {

    /**
     * ARGV: fingerprint, owner, in-flight TTL ms, marker TTL ms. Reply: {"claimed", "0"|"1" (an earlier attempt
     * marker)} | {"i", fp} | {"c", fp, resp}.
     */
    static final RedisScript<List> CLAIM = RedisScript.of("""
            local r = redis.call('HMGET', KEYS[1], 'state', 'fp', 'resp')
            if not r[1] then
              local prior = tostring(redis.call('EXISTS', KEYS[2]))
              redis.call('HSET', KEYS[1], 'state', 'i', 'fp', ARGV[1], 'owner', ARGV[2], 'prior', prior)
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
              return {'claimed', prior}
            end
            if r[1] == 'c' then
              return {r[1], r[2], r[3]}
            end
            return {r[1], r[2]}
            """, List.class);

    /** ARGV: owner, encoded response, completed TTL ms. Reply: {"ok"} when stored, {} otherwise. */
    static final RedisScript<List> COMPLETE = RedisScript.of("""
            local r = redis.call('HMGET', KEYS[1], 'state', 'owner')
            if r[1] ~= 'i' or r[2] ~= ARGV[1] then
              return {}
            end
            redis.call('HSET', KEYS[1], 'state', 'c', 'resp', ARGV[2])
            redis.call('HDEL', KEYS[1], 'owner', 'prior')
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('DEL', KEYS[2])
            return {'ok'}
            """, List.class);

    /**
     * ARGV: owner, "1" when an attempt was written. Reply: {"ok"} when the owner's in-flight claim was deleted, {}
     * otherwise. The marker goes too unless an attempt was written or it was there before the claim.
     */
    static final RedisScript<List> RELEASE = RedisScript.of("""
            local r = redis.call('HMGET', KEYS[1], 'state', 'owner', 'prior')
            if r[1] ~= 'i' or r[2] ~= ARGV[1] then
              return {}
            end
            redis.call('DEL', KEYS[1])
            if ARGV[2] ~= '1' and r[3] ~= '1' then
              redis.call('DEL', KEYS[2])
            end
            return {'ok'}
            """, List.class);

    private RedisScripts() {}
}
