package io.payegress.filters.idempotency;

import java.util.List;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of {@link RedisDedupeStore}. Each touches only KEYS[1] (Cluster-safe) and answers with an array of
 * bulk strings; an empty array means "not done" (wrong owner, wrong state or no record).
 */
@SuppressWarnings("rawtypes")
final class RedisScripts {

    /** ARGV: fingerprint, owner, in-flight TTL ms. Reply: {"claimed"} | {"i", fp} | {"c", fp, resp}. */
    static final RedisScript<List> CLAIM = RedisScript.of("""
            local r = redis.call('HMGET', KEYS[1], 'state', 'fp', 'resp')
            if not r[1] then
              redis.call('HSET', KEYS[1], 'state', 'i', 'fp', ARGV[1], 'owner', ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              return {'claimed'}
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
            redis.call('HDEL', KEYS[1], 'owner')
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return {'ok'}
            """, List.class);

    /** ARGV: owner. Reply: {"ok"} when the owner's in-flight claim was deleted, {} otherwise. */
    static final RedisScript<List> RELEASE = RedisScript.of("""
            local r = redis.call('HMGET', KEYS[1], 'state', 'owner')
            if r[1] ~= 'i' or r[2] ~= ARGV[1] then
              return {}
            end
            redis.call('DEL', KEYS[1])
            return {'ok'}
            """, List.class);

    private RedisScripts() {}
}
