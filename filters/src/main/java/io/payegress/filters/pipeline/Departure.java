package io.payegress.filters.pipeline;

import reactor.core.publisher.Mono;

/**
 * The budget's word on when a request may leave, asked by the forward stage: a grant used later than its tolerance
 * could bunch calls into one sliding second at WeChat, and one used before its slot could too.
 */
public interface Departure {

    /** A request no budget governs: it may leave at any time. */
    Departure ANY_TIME = new Departure() {
        @Override
        public boolean fresh() {
            return true;
        }

        @Override
        public long holdNanos() {
            return 0;
        }
    };

    /** False when the grant went stale: the request must not leave on it, and must ask again. */
    boolean fresh();

    /** How long the request must still wait before it may leave: 0 when it may leave now, else until its slot. */
    long holdNanos();

    /**
     * Called by the forward stage once it found the grant {@link #fresh()} and is about to write the request: the
     * grant is used from now on (never given back).
     */
    default void leaving() {}

    /**
     * Called by the forward stage once the request that is {@link #leaving} was written (its bytes handed to the
     * kernel, so it left no later than now): the budget counts it from this departure. A thread stalled between the
     * last look and the write makes the departure later than the look; counted from the write, the stall is in the
     * count.
     */
    default void written() {}

    /**
     * Called by the forward stage when WeChat's answer to the request that left on this departure has come (its status
     * and headers, whatever they say): the request reached WeChat before the answer reached this host, and the budget
     * counts it from that moment when that is sooner than from its departure plus the safety margin, or when the answer
     * took longer than usual.
     *
     * @param ageNanos how long ago, at least, the answer reached this host (from the kernel's receipt, when the
     *     connection can say; 0 when only the read is known): on a starved replica the read comes later than the
     *     answer, and the answer's time, not the read's, bounds when the request reached WeChat
     */
    default void answered(long ageNanos) {}

    /**
     * Called by the forward stage when the request that left on this departure ends without an answer (a timeout, a
     * lost connection): it reached WeChat before now if at all, and the budget counts it at least from this moment.
     * Nothing when the answer came first.
     */
    default void failed() {}

    /**
     * A grant to replace this one, gone stale while its request held a connection ready to write: the stale grant is
     * given back and a new one asked for at once, at the head of the request's tenant queue, so that the request leaves
     * on the connection it holds instead of going back through the pipeline. Fails with {@link LateDeparture} where
     * nothing can be renewed here, or with the budget's refusal when its wait runs out.
     */
    default Mono<Departure> renewed() {
        return Mono.error(new LateDeparture());
    }
}
