package io.payegress.filters.signing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the work queued for the signing threads: an arriving request is refused when {@code max-pending} are
 * already pending, and a queued one is refused unsigned when its turn comes after more than {@code max-queue-time}
 * (dropped at the head of the queue, as CoDel does, so stale work costs no RSA and the queue drains fast). Counts
 * the pending requests; thread-safe.
 */
public final class SigningBacklog {

    /** Why a request was refused a signature. */
    public enum Refusal {
        /** At arrival: {@code max-pending} requests were already waiting for or holding a signing thread. */
        FULL,
        /** At its turn: it had waited longer than {@code max-queue-time} for a signing thread. */
        STALE
    }

    private final SigningSettings settings;
    private final long maxQueueNanos;
    private final LongSupplier nanoTime;
    private final AtomicInteger pending = new AtomicInteger();

    /** nanoTime is a monotonic clock, {@code System::nanoTime} in production. */
    public SigningBacklog(SigningSettings settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.maxQueueNanos = settings.maxQueueTime().toNanos();
        this.nanoTime = nanoTime;
    }

    /** Takes a place for an arriving request, or returns null (refused: {@link Refusal#FULL}) when none is free. */
    public @Nullable Place arrive() {
        int before = pending.getAndUpdate(p -> p < settings.maxPending() ? p + 1 : p);
        return before < settings.maxPending() ? new Place(nanoTime.getAsLong()) : null;
    }

    /** Requests that arrived and have not left yet: queued for a signing thread or being signed. */
    public int pending() {
        return pending.get();
    }

    public SigningSettings settings() {
        return settings;
    }

    /** What a queued request learns when a signing thread picks it up. */
    public record Start(Duration waited, boolean stale) {}

    /** One request's place in the backlog, from its arrival until it {@link #leave() leaves}. */
    public final class Place {

        private final long arrivedAt;
        private final AtomicBoolean left = new AtomicBoolean();

        private Place(long arrivedAt) {
            this.arrivedAt = arrivedAt;
        }

        /** Called when a signing thread picks the request up: how long it waited and whether that was too long. */
        public Start start() {
            long waited = Math.max(0, nanoTime.getAsLong() - arrivedAt);
            return new Start(Duration.ofNanos(waited), waited > maxQueueNanos);
        }

        /** Frees the place (signed, refused, failed or cancelled); only the first call counts. */
        public void leave() {
            if (left.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
        }
    }
}
