package io.payegress.simulator;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.payegress.simulator.signing.KeyMaterial;
import io.payegress.simulator.signing.ResponseSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes a {@link Reply}: adds Request-ID and, per its signing mode, the Wechatpay-* signature headers (computed on
 * a bounded signing scheduler, never on the event loop), or resets the connection.
 */
final class ReplyWriter {

    private static final String SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048";
    private static final long STALE_SECONDS = 600;

    private final ResponseSigner signer;
    private final Supplier<ResponseSigner> rogueSigner;
    private final ErrorSignatureCache errorSignatures;
    private final RequestIds requestIds = new RequestIds();
    private final Clock clock;
    private final Scheduler signing;

    ReplyWriter(ResponseSigner signer, Clock clock, Scheduler signing) {
        this.signer = signer;
        this.rogueSigner = memoize(() -> {
            KeyMaterial rogue = KeyMaterial.generatePlatform();
            return new ResponseSigner(rogue.privateKey(), rogue.serial());
        });
        this.errorSignatures = new ErrorSignatureCache(signer);
        this.clock = clock;
        this.signing = signing;
    }

    Mono<Void> write(HttpServerResponse response, Reply reply) {
        if (reply.signing() == Reply.Signing.RESET) {
            return reset(response);
        }
        response.status(HttpResponseStatus.valueOf(reply.status()));
        response.header("Request-ID", requestIds.next(reply.status()));
        response.header("Content-Length", String.valueOf(reply.body().length));
        if (reply.contentType() != null) {
            response.header("Content-Type", reply.contentType());
        }
        Mono<Void> signed = reply.signing() == Reply.Signing.UNSIGNED
                ? Mono.empty()
                : Mono.fromRunnable(() -> sign(response, reply))
                        .subscribeOn(signing)
                        .then();
        return signed.then(
                Mono.defer(() -> response.sendByteArray(Mono.just(reply.body())).then()));
    }

    private void sign(HttpServerResponse response, Reply reply) {
        long now = clock.instant().getEpochSecond();
        ResponseSigner chosen = reply.signing() == Reply.Signing.UNKNOWN_SERIAL ? rogueSigner.get() : signer;
        long timestamp = reply.signing() == Reply.Signing.STALE_TIMESTAMP ? now - STALE_SECONDS : now;
        Signed signed;
        if (reply.signing() == Reply.Signing.SIGNED && reply.status() >= 400) {
            signed = errorSignatures.get(timestamp, reply.body());
        } else {
            String nonce = chosen.nonce();
            byte[] signedBody = reply.body();
            if (reply.signing() == Reply.Signing.BAD_SIGNATURE) {
                signedBody = (new String(reply.body(), StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
            }
            signed = new Signed(timestamp, nonce, chosen.sign(timestamp, nonce, signedBody));
        }
        response.header("Wechatpay-Timestamp", String.valueOf(signed.timestamp()));
        response.header("Wechatpay-Nonce", signed.nonce());
        response.header("Wechatpay-Signature", signed.signature());
        response.header("Wechatpay-Serial", chosen.serial());
        response.header("Wechatpay-Signature-Type", SIGNATURE_TYPE);
    }

    private static Mono<Void> reset(HttpServerResponse response) {
        return Mono.fromRunnable(() -> response.withConnection(connection -> {
            connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            connection.channel().close();
        }));
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T result = value;
                if (result == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = supplier.get();
                        }
                        result = value;
                    }
                }
                return result;
            }
        };
    }

    /** A computed response signature with the timestamp and nonce it covers. */
    record Signed(long timestamp, String nonce, String signature) {}
}
