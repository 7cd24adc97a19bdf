package io.payegress.filters.budget;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The budget's early refusal, for the {@code BudgetAdmission} stage: when the budget has been saturated for a second,
 * a request of a tenant whose queue here already holds as many requests as the budget can be expected to grant it
 * within max-wait (its grants here over the last second, or at least an equal share of this replica's part of the
 * limit) is refused at once. Such a request would wait max-wait only to be refused, having been signed for nothing.
 *
 * <p>The tenant's queue counts the requests admitted and still on their way to the budget ({@link Approach}): on a
 * starved replica they wait for a signing thread between admission and the budget, and a rule that saw only the
 * budget's own queue admitted twice the limit's worth into the signing queue at 2x the limit (measured: signing
 * queue p50 7.2 s, 13,476 refusals there, 31% of the limit used).
 */
final class Admission {

    private static final Duration SATURATION_PROOF = Duration.ofSeconds(1);

    /** The limiter's state, guarded by itself. */
    private final DispatchState state;

    private final Duration maxWait;
    private final LongSupplier nanoTime;

    Admission(DispatchState state, Duration maxWait, LongSupplier nanoTime) {
        this.state = state;
        this.maxWait = maxWait;
        this.nanoTime = nanoTime;
    }

    /** True when a request of the tenant would be admitted now. */
    boolean admissible(String tenantId) {
        synchronized (state) {
            return admissibleLocked(tenantId);
        }
    }

    /** Admits a request of the tenant (it counts as queued until closed), or refuses it (null). */
    @Nullable
    Approach admit(String tenantId) {
        synchronized (state) {
            if (!admissibleLocked(tenantId)) {
                return null;
            }
            state.approaching.merge(tenantId, 1, Integer::sum);
        }
        return new Approach(tenantId);
    }

    private boolean admissibleLocked(String tenantId) {
        long now = nanoTime.getAsLong();
        if (state.saturatedSinceNanos < 0 || now - state.saturatedSinceNanos < SATURATION_PROOF.toNanos()) {
            return true;
        }
        double share = (double) state.limit / Math.max(1, state.live) / Math.max(1, state.queue.tenants());
        double perSecond = Math.max(state.grants.perSecond(tenantId, now), share);
        double expected = perSecond * maxWait.toNanos() / 1e9;
        return state.queue.size(tenantId) + state.approaching.getOrDefault(tenantId, 0) < expected + 1;
    }

    /** An admitted request on its way to the budget; closed when it asks for its grant or ends, whichever is first. */
    final class Approach {

        private final String tenantId;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Approach(String tenantId) {
            this.tenantId = tenantId;
        }

        /** The request no longer counts as approaching (idempotent). */
        void close() {
            if (closed.compareAndSet(false, true)) {
                synchronized (state) {
                    state.approaching.computeIfPresent(tenantId, (id, n) -> n > 1 ? n - 1 : null);
                }
            }
        }
    }
}
