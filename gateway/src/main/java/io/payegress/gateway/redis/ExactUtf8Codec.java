package io.payegress.gateway.redis;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * UTF-8 strings for the budget's Redis connection, each written straight into the command's buffer. Lettuce writes a
 * bulk string's length before its bytes, so for an encoder whose size estimate is not exact (its own {@link
 * StringCodec#UTF8}, which estimates three bytes a character) it encodes every argument into a pooled scratch buffer
 * first, then copies it; Netty's leak detector samples those buffers and records a stack trace for each it samples.
 * An allocation call carries one argument per tenant's backlog and offer and up to three per grant reported: at 80%
 * of the limit, encoding them was 22% of the Lettuce thread's CPU samples in a profile of replica 1, and 5% with this
 * codec (docs/benchmarks.md, session 34), which counts the exact UTF-8 length instead, one pass over the characters.
 * Decoding is {@link StringCodec#UTF8}'s.
 */
final class ExactUtf8Codec implements RedisCodec<String, String>, ToByteBufEncoder<String, String> {

    static final ExactUtf8Codec INSTANCE = new ExactUtf8Codec();

    private ExactUtf8Codec() {}

    @Override
    public String decodeKey(ByteBuffer bytes) {
        return StringCodec.UTF8.decodeKey(bytes);
    }

    @Override
    public String decodeValue(ByteBuffer bytes) {
        return StringCodec.UTF8.decodeValue(bytes);
    }

    @Override
    public ByteBuffer encodeKey(@Nullable String key) {
        return StringCodec.UTF8.encodeKey(key);
    }

    @Override
    public ByteBuffer encodeValue(@Nullable String value) {
        return StringCodec.UTF8.encodeValue(value);
    }

    @Override
    public void encodeKey(@Nullable String key, ByteBuf target) {
        write(key, target);
    }

    @Override
    public void encodeValue(@Nullable String value, ByteBuf target) {
        write(value, target);
    }

    /** The exact number of bytes {@link #encodeValue(String, ByteBuf)} writes (0 for null, as Lettuce's codec). */
    @Override
    public int estimateSize(@Nullable Object keyOrValue) {
        return keyOrValue instanceof CharSequence text ? ByteBufUtil.utf8Bytes(text) : 0;
    }

    @Override
    public boolean isEstimateExact() {
        return true;
    }

    private static void write(@Nullable String text, ByteBuf target) {
        if (text != null) {
            ByteBufUtil.writeUtf8(target, text);
        }
    }
}
