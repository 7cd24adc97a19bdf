package io.payegress.filters.pipeline;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * This replica's shutdown as the payment pipeline sees it. The web server's graceful shutdown lets requests finish;
 * a request still running when that phase ends is {@link #cutOff cut off} once the drain {@link #begin begins}, so it
 * ends with a retryable answer and its {@code use_request_no} released rather than with a connection closed on it.
 * Work that must reach the shared store before the replica closes its Redis client (a key released for a client
 * that left) is {@link #finish finished} under the drain's {@link #watch watch}, as is every request the gateway
 * serves, and the gateway {@link #awaitFinished waits} for what is watched before it stops its server and its stores.
 */
public final class Drain {

    private final Sinks.Empty<Void> begun = Sinks.empty();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicInteger unfinished = new AtomicInteger();

    /** Cuts off every request still running and every one that arrives later; idempotent. */
    public void begin() {
        if (started.compareAndSet(false, true)) {
            begun.tryEmitEmpty();
        }
    }

    public boolean begun() {
        return started.get();
    }

    /**
     * The work, unless the drain begins before it ends and {@code cut} then gives a failure: the work is cancelled and
     * that failure signalled instead. A {@code cut} giving null lets the work run on (its answer is being written).
     */
    public <T> Mono<T> cutOff(Mono<T> work, Supplier<? extends @Nullable Throwable> cut) {
        Mono<T> cutter = begun.asMono().then(Mono.defer(() -> {
            Throwable failure = cut.get();
            return failure == null ? Mono.<T>never() : Mono.<T>error(failure);
        }));
        return Mono.firstWithSignal(work, cutter);
    }

    /** The work, counted from subscription until it ends, so that {@link #awaitFinished} waits for it. */
    public <T> Mono<T> watch(Mono<T> work) {
        return watch(work, Mono.empty());
    }

    /**
     * The work, counted from subscription until it ends and then {@code after} ends too (subscribed once the work
     * has ended, never holding the work up; its failure counts as its end): for a request, its handler and then the
     * server's last write of its answer, which follows the handler's end.
     */
    public <T> Mono<T> watch(Mono<T> work, Mono<Void> after) {
        return Mono.defer(() -> {
            unfinished.incrementAndGet();
            return work.doFinally(signal -> after.subscribe(none -> {}, error -> ended(), this::ended));
        });
    }

    /**
     * Counts work begun outside a {@link Mono} (an answer the door writes on the connection's event loop) from now
     * until the returned callback runs; run it once, when the work has ended.
     */
    public Runnable track() {
        unfinished.incrementAndGet();
        return this::ended;
    }

    private void ended() {
        if (unfinished.decrementAndGet() == 0) {
            synchronized (unfinished) {
                unfinished.notifyAll();
            }
        }
    }

    /** Runs {@code work} now, {@link #watch watched} (its value and error are dropped). */
    public void finish(Mono<?> work) {
        watch(work).subscribe(value -> {}, error -> {});
    }

    /** Blocks until every watched work has ended, at most {@code timeout}; true when it did. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (unfinished) {
            while (unfinished.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                unfinished.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
