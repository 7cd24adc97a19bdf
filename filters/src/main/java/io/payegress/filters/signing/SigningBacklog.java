package io.payegress.filters.signing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The queue in front of the signing threads, and its bounds: an arriving request is refused when {@code max-pending}
 * are already pending, and a queued one is refused unsigned when its turn comes with less than {@code min-time-left}
 * before its own deadline (dropped at the head of the queue, as CoDel does, so hopeless work costs no RSA and the
 * queue drains fast). How long it waited does not matter by itself: a late turn with time to spare is signed, and
 * a request without a deadline is never refused at its turn. Counts the pending requests; thread-safe.
 *
 * <p>Order: oldest first while the queue keeps draining; <b>newest first</b> once it has not drained for
 * {@link #NEWEST_FIRST_AFTER} (adaptive LIFO, as in Facebook's "Fail at scale", ACM Queue 13(8), 2015). Oldest first,
 * a backlog that stands (the machine signs about as fast as requests arrive, after a stall) makes every request wait
 * the whole queue: on a starved replica at 80% of the limit requests were picked up after 7 s of an 8 s deadline and
 * then missed their budget grants at the socket, so nothing reached WeChat for 18 s while the CPU was busy. Newest
 * first, the requests picked up still have their time ahead of them, and the ones left behind are refused when they
 * go stale, a stale oldest before any newer request (its refusal costs no RSA and its customer learns sooner).
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

    /** How long the queue must have stood without draining before the newest requests are signed first. */
    public static final Duration NEWEST_FIRST_AFTER = Duration.ofMillis(500);

    private final SigningSettings settings;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final int threads;
    private final AtomicInteger pending = new AtomicInteger();
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

    /** The places queued for a signing thread, oldest first; a place that left stays until a turn skips it. */
    private final Deque<Place> waiting = new ConcurrentLinkedDeque<>();

    /** When an arrival or a departure last saw fewer requests pending than there are threads: the queue drained. */
    private final AtomicLong drainedAtNanos;

    private final AtomicLong newestFirst = new AtomicLong();

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
        this.drainedAtNanos = new AtomicLong(nanoTime.getAsLong());
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
            drainedAtNanos.set(nowNanos);
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
        int before = pending.getAndUpdate(p -> p < settings.maxPending() ? p + 1 : p);
        if (before >= settings.maxPending()) {
            return null;
        }
        long now = nanoTime.getAsLong();
        if (before < threads) {
            drainedAtNanos.set(now);
        }
        return new Place(now, deadline);
    }

    /**
     * Runs the turn of the queued place whose turn it is, skipping places that left: a stale oldest first, then the
     * newest while the queue has stood for {@link #NEWEST_FIRST_AFTER}, else the oldest. Call it once for each
     * {@link Place#queue queued} place, on a signing thread; every queued place then gets its turn or leaves.
     */
    public void runNext() {
        for (Place place = next(); place != null; place = next()) {
            if (place.take()) {
                place.turn.run();
                return;
            }
        }
    }

    private @Nullable Place next() {
        Place oldest = waiting.peekFirst();
        if (oldest == null) {
            return null;
        }
        if (oldest.left.get() || oldest.stale() || !standing()) {
            return waiting.pollFirst();
        }
        Place newest = waiting.pollLast();
        if (newest != null && newest != oldest) {
            newestFirst.incrementAndGet();
        }
        return newest;
    }

    /** Whether the queue has not drained for {@link #NEWEST_FIRST_AFTER}: its newest requests are signed first. */
    public boolean standing() {
        return nanoTime.getAsLong() - drainedAtNanos.get() >= NEWEST_FIRST_AFTER.toNanos();
    }

    /** How many requests were signed (or refused at their turn) ahead of older ones, since start. */
    public long newestFirst() {
        return newestFirst.get();
    }

    /** Requests that arrived and have not left yet: queued for a signing thread or being signed. */
    public int pending() {
        return pending.get();
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
        private final AtomicBoolean taken = new AtomicBoolean();
        private Runnable turn = () -> {};

        private Place(long arrivedAt, @Nullable Instant deadline) {
            this.arrivedAt = arrivedAt;
            this.deadline = deadline;
        }

        /**
         * Queues this place for a signing thread; {@code turn} runs on one when {@link #runNext} picks it, unless it
         * left before. Then schedule one {@link #runNext} for it.
         */
        public void queue(Runnable turn) {
            this.turn = turn;
            waiting.addLast(this);
        }

        /** Claims the turn: false when the place left (its request was cancelled) or was already taken. */
        private boolean take() {
            return !left.get() && taken.compareAndSet(false, true);
        }

        /** Less than {@code min-time-left} before its deadline (never without one). */
        private boolean stale() {
            return deadline != null
                    && Duration.between(clock.instant(), deadline).compareTo(settings.minTimeLeft()) < 0;
        }

        /**
         * Called when a signing thread picks the request up: how long it waited, and whether less than
         * {@code min-time-left} is left before its deadline (never when it has none).
         */
        public Start start() {
            long now = nanoTime.getAsLong();
            long waited = Math.max(0, now - arrivedAt);
            waitedNanos.getAndUpdate(mean -> mean < 0 ? waited : mean + (waited - mean) / 8);
            return new Start(Duration.ofNanos(waited), stale());
        }

        /**
         * Frees the place (signed, refused, failed or cancelled); only the first call counts. While more requests than
         * threads are pending, the time since the previous one left measures the backlog's drain pace.
         */
        public void leave() {
            if (left.compareAndSet(false, true)) {
                left(nanoTime.getAsLong(), pending.decrementAndGet());
            }
        }
    }
}
