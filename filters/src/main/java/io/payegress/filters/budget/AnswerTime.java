package io.payegress.filters.budget;

/**
 * The usual time from a request's departure to WeChat's answer, and whether one answer took longer than that by more
 * than the margin allows for the way to WeChat. A departed grant counts until its departure plus the window less the
 * late tolerance, which assumes the way to WeChat's counter varies by at most the margin less the late tolerance. An
 * answer's time bounds that way from above: it is the way there, WeChat's work and the way back. So an answer no later
 * than the usual one plus that allowance says the assumption held (the fastest answers of recent calls had the fastest
 * way there); a later one says it may not have (a stalled upstream, a lost packet, or only an answer read late on a
 * starved replica, which cannot be told apart), and the grant must then count from the answer. The usual time is the
 * least of the last 5 to 10 seconds' answers: it falls at once and rises within 10 s, and before any answer it is zero,
 * so that every answer later than the allowance counts from itself. Thread-safe.
 */
final class AnswerTime {

    /** How long one bucket of answers is kept as the latest: the usual time is the least of this one and the last. */
    static final long BUCKET_NANOS = 5_000_000_000L;

    private final long allowanceNanos;
    private long bucketStart;
    private boolean started;
    private long current = Long.MAX_VALUE;
    private long previous = Long.MAX_VALUE;

    /** @param allowanceNanos how much longer than usual the way to WeChat may take (margin less late tolerance) */
    AnswerTime(long allowanceNanos) {
        this.allowanceNanos = allowanceNanos;
    }

    /**
     * Notes an answer that came {@code tookNanos} after its request left, at {@code nowNanos}; true when it came later
     * than the usual time (before it) plus the allowance.
     */
    synchronized boolean late(long tookNanos, long nowNanos) {
        if (!started || nowNanos - bucketStart >= 2 * BUCKET_NANOS) {
            previous = Long.MAX_VALUE;
            current = Long.MAX_VALUE;
            bucketStart = nowNanos;
            started = true;
        } else if (nowNanos - bucketStart >= BUCKET_NANOS) {
            previous = current;
            current = Long.MAX_VALUE;
            bucketStart = nowNanos;
        }
        long usual = Math.min(current, previous);
        boolean late = tookNanos > (usual == Long.MAX_VALUE ? 0 : usual) + allowanceNanos;
        current = Math.min(current, Math.max(0, tookNanos));
        return late;
    }
}
