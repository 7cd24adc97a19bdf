package io.payegress.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExactUtf8CodecTest {

    private static final String[] ARGUMENTS = {
        "payegress:budget:{1900000001:coupons-use}:log", "", "bench-01", "1796560062954353", "café", "商户-券", "🎫 x"
    };

    @Test
    void writesTheSameCommandBytesAsLettucesOwnUtf8Codec() {
        assertThat(encoded(ExactUtf8Codec.INSTANCE)).isEqualTo(encoded(StringCodec.UTF8));
    }

    @Test
    void estimatesExactlyTheBytesItWrites() {
        for (String argument : ARGUMENTS) {
            ByteBuf target = Unpooled.buffer();
            ExactUtf8Codec.INSTANCE.encodeValue(argument, target);
            assertThat(ExactUtf8Codec.INSTANCE.estimateSize(argument))
                    .isEqualTo(target.readableBytes())
                    .isEqualTo(argument.getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(ExactUtf8Codec.INSTANCE.estimateSize(null)).isZero();
    }

    @Test
    void decodesWhatItEncodes() {
        for (String argument : ARGUMENTS) {
            assertThat(ExactUtf8Codec.INSTANCE.decodeValue(ExactUtf8Codec.INSTANCE.encodeValue(argument)))
                    .isEqualTo(argument);
        }
    }

    private static String encoded(RedisCodec<String, String> codec) {
        CommandArgs<String, String> args = new CommandArgs<>(codec).addKey(ARGUMENTS[0]);
        for (int i = 1; i < ARGUMENTS.length; i++) {
            args.addValue(ARGUMENTS[i]);
        }
        args.addValue((String) null);
        ByteBuf target = Unpooled.buffer();
        args.encode(target);
        return target.toString(StandardCharsets.UTF_8);
    }
}
