package io.payegress.filters.signing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the work queued for the signing threads: an arriving request is refused when {@code max-pending} are
 * already pending, and a queued one is refused unsigned when its turn comes with less than {@code min-time-left}
 * before its own deadline (dropped at the head of the queue, as CoDel does, so hopeless work costs no RSA and the
 * queue drains fast). How long it waited does not matter by itself: a late turn with time to spare is signed, and
 * a request without a deadline is never refused at its turn. A place can be reserved at the door, before the body is
 * read ({@link #reserve}), so that a full backlog refuses there, not after the request was validated and deduped.
 * Counts the pending requests; thread-safe.
 */
public final class SigningBacklog {

    /** Why a request was refused a signature. */
    public enum Refusal {
        /** At arrival: {@code max-pending} requests were already waiting for or holding a signing thread. */
        FULL,
        /** At its turn: less than {@code min-time-left} was left before its deadline. */
        STALE,
        /**
         * At arrival: the requests queued ahead would take, at the backlog's measured drain pace, until less than
         * {@code min-time-left} is left before its deadline. Refused at once rather than after waiting for nothing.
         */
        BEHIND
    }

    private final SigningSettings settings;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final int threads;
    /** Places taken: reserved at the door and not yet used, or queued for or holding a signing thread. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Requests queued for or holding a signing thread: what the threads' drain pace is measured against. */
    private final AtomicInteger queued = new AtomicInteger();
    /**
     * The time between two requests leaving while more than the threads were pending (the backlog's drain pace, which
     * on a starved machine includes the time the threads wait for a CPU between signatures), averaged with 1/8 weight
     * for each new one; 0 until measured.
     */
    private final AtomicLong paceNanos = new AtomicLong();

    private final AtomicLong lastLeftNanos = new AtomicLong(Long.MIN_VALUE);

    /**
     * How long the requests picked up lately had waited for a signing thread, averaged with 1/8 weight for each new
     * one (the first taken as it is); -1 until measured, and forgotten with the pace when the backlog drains.
     */
    private final AtomicLong waitedNanos = new AtomicLong(-1);

    /**
     * A backlog bounded by {@code settings}, in front of one signing thread.
     *
     * @param nanoTime a monotonic clock ({@code System::nanoTime}); only the waits are taken from it
     * @param clock the wall clock the request deadlines refer to
     */
    public SigningBacklog(SigningSettings settings, LongSupplier nanoTime, Clock clock) {
        this(settings, nanoTime, clock, 1);
    }

    /** As {@link #SigningBacklog(SigningSettings, LongSupplier, Clock)}, in front of {@code threads} signing threads. */
    public SigningBacklog(SigningSettings settings, LongSupplier nanoTime, Clock clock, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.threads = threads;
    }

    /**
     * Whether a request arriving now with this deadline would be picked up too late anyway: both the requests pending
     * ahead of it at the backlog's measured drain pace and the wait of the requests picked up lately leave it less
     * than {@code min-time-left} before its deadline. Never for a request without a deadline, nor before both were
     * measured.
     *
     * <p>Both, because each alone errs. The pace extrapolates: one stall of the signing threads (a second without a
     * CPU on a loaded machine) raises it for the next dozen departures, and then times a backlog that drains in a
     * few hundred milliseconds; at 80% of the limit the pace alone refused 5 of 12,000 requests while the signing
     * queue's p99 was 224 ms (docs/benchmarks.md, session 7). The waits lag: they tell what the requests just picked
     * up found ahead of them, not what an arrival finds now. A backlog that really holds an arrival past its deadline
     * shows in both.
     */
    public boolean hopeless(@Nullable Instant deadline) {
        long pace = paceNanos.get();
        long waited = waitedNanos.get();
        if (deadline == null || pace == 0 || waited < 0) {
            return false;
        }
        long waitNanos = Math.min(pending.get() * pace, waited);
        Instant turn = clock.instant().plusNanos(waitNanos);
        return Duration.between(turn, deadline).compareTo(settings.minTimeLeft()) < 0;
    }

    /**
     * A request left at {@code nowNanos} with {@code stillPending} behind it. A backlog that drains below the threads
     * forgets its pace: a pace measured in an earlier burst (a cold JVM, a starved minute) says nothing about the next
     * one, and kept, it refused a later burst at once on a machine that could serve it; the next burst measures afresh.
     */
    private void left(long nowNanos, int stillPending) {
        long previous = lastLeftNanos.getAndSet(nowNanos);
        if (stillPending < threads) {
            paceNanos.set(0);
            waitedNanos.set(-1);
            return;
        }
        if (previous == Long.MIN_VALUE) {
            return;
        }
        long sample = Math.max(1, nowNanos - previous);
        paceNanos.getAndUpdate(mean -> mean == 0 ? sample : mean + (sample - mean) / 8);
    }

    /**
     * Takes a place for an arriving request whose deadline is {@code deadline} (null: it has none), or returns null
     * (refused: {@link Refusal#FULL}) when none is free.
     */
    public @Nullable Place arrive(@Nullable Instant deadline) {
        return take() ? queue(deadline) : null;
    }

    /**
     * Reserves a place for a request that will arrive once its body is read, validated and deduped, or returns null
     * (refused: {@link Refusal#FULL}) when none is free. The reservation counts as pending from now: the requests
     * on their way are ahead of later arrivals, and a full backlog refuses at the door, where refusing costs least.
     */
    public @Nullable Reservation reserve() {
        return take() ? new Reservation() : null;
    }

    private boolean take() {
        return pending.getAndUpdate(p -> p < settings.maxPending() ? p + 1 : p) < settings.maxPending();
    }

    private Place queue(@Nullable Instant deadline) {
        queued.incrementAndGet();
        return new Place(nanoTime.getAsLong(), deadline);
    }

    /** Places taken and not given up yet: reserved, queued for a signing thread, or being signed. */
    public int pending() {
        return pending.get();
    }

    /** A place reserved at the door ({@link #reserve}): used once by the request's first arrival, or released. */
    public final class Reservation {

        private final AtomicBoolean done = new AtomicBoolean();

        private Reservation() {}

        /**
         * The request arrives on its reserved place, which it leaves as any other; a reservation already used or
         * released is no place, and the request arrives as any other ({@link #arrive}).
         */
        public @Nullable Place arrive(@Nullable Instant deadline) {
            return done.compareAndSet(false, true) ? queue(deadline) : SigningBacklog.this.arrive(deadline);
        }

        /** Frees the place if no request arrived on it (the request ended before signing); only the first call counts. */
        public void release() {
            if (done.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
        }
    }

    public SigningSettings settings() {
        return settings;
    }

    /** What a queued request learns when a signing thread picks it up: how long it waited, whether it is stale. */
    public record Start(Duration waited, boolean stale) {}

    /** One request's place in the backlog, from its arrival until it {@link #leave() leaves}. */
    public final class Place {

        private final long arrivedAt;
        private final @Nullable Instant deadline;
        private final AtomicBoolean left = new AtomicBoolean();

        private Place(long arrivedAt, @Nullable Instant deadline) {
            this.arrivedAt = arrivedAt;
            this.deadline = deadline;
        }

        /**
         * Called when a signing thread picks the request up: how long it waited, and whether less than
         * {@code min-time-left} is left before its deadline (never when it has none).
         */
        public Start start() {
            long now = nanoTime.getAsLong();
            long waited = Math.max(0, now - arrivedAt);
            waitedNanos.getAndUpdate(mean -> mean < 0 ? waited : mean + (waited - mean) / 8);
            boolean stale = deadline != null
                    && Duration.between(clock.instant(), deadline).compareTo(settings.minTimeLeft()) < 0;
            return new Start(Duration.ofNanos(waited), stale);
        }

        /**
         * Frees the place (signed, refused, failed or cancelled); only the first call counts. While more requests than
         * threads are pending, the time since the previous one left measures the backlog's drain pace.
         */
        public void leave() {
            if (left.compareAndSet(false, true)) {
                pending.decrementAndGet();
                left(nanoTime.getAsLong(), queued.decrementAndGet());
            }
        }
    }
}
