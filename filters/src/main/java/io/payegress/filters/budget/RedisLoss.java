package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetHealth.Mode;
import io.payegress.filters.budget.BudgetSettings.RedisFailurePolicy;
import io.payegress.filters.budget.BudgetStore.Allocation;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a budget leaves the shared store and how it comes back: the rules of its degraded mode, on the limiter's state
 * (every method is called holding it). The limiter makes the calls; this decides what their failures and answers
 * mean.
 *
 * <p>A call failing while the connection is down degrades at once (Redis gone). Calls failing over a live connection
 * degrade only when {@link #FAILURES_TO_DEGRADE} in a row have kept failing for {@link #SUSTAINED_FAILURE}: timeouts on
 * a starved replica are a slow Redis, not a lost one, and each degradation costs this replica a paused window.
 * Degraded, the replica grants from a local store holding its share of the limit (the limit over the live replicas it
 * last saw), paused for one window first, and remembers its local grants so that those still in a window go into the
 * shared log when Redis answers again.
 */
final class RedisLoss {

    /** How long shared calls must keep failing, over a connection that stays up, before the budget degrades. */
    static final Duration SUSTAINED_FAILURE = Duration.ofSeconds(3);

    /** Failed shared calls in a row (over a live connection) that, lasting {@link #SUSTAINED_FAILURE}, degrade. */
    static final int FAILURES_TO_DEGRADE = 3;

    private final BudgetSettings settings;
    private final DispatchState state;
    private final LongSupplier nanoTime;

    RedisLoss(BudgetSettings settings, DispatchState state, LongSupplier nanoTime) {
        this.settings = settings;
        this.state = state;
        this.nanoTime = nanoTime;
    }

    /** A shared call failed while in shared mode: degrades when the connection is down or the failures are sustained. */
    void sharedCallFailed(boolean connected) {
        long now = nanoTime.getAsLong();
        state.failures++;
        if (state.failingSinceNanos < 0) {
            state.failingSinceNanos = now;
        }
        boolean sustained =
                state.failures >= FAILURES_TO_DEGRADE && now - state.failingSinceNanos >= SUSTAINED_FAILURE.toNanos();
        if (sustained || !connected) {
            degrade();
        }
    }

    /** A shared call was answered: the failures in a row end. */
    void sharedCallAnswered() {
        state.failures = 0;
        state.failingSinceNanos = -1;
    }

    /** How many of the local grants may still be in a window: what a probe carries into the shared log. */
    int carriedOnReturn() {
        long windowStart = nanoTime.getAsLong() - settings.windowMicros() * 1_000;
        state.localGrants.removeIf(at -> at <= windowStart);
        return state.localGrants.size();
    }

    /**
     * Redis answered a probe that carried {@code carried} local grants: back to shared mode; the local grants made
     * while the probe was in flight go with the next shared call.
     */
    void returned(Allocation allocation, int carried) {
        state.mode = Mode.SHARED;
        state.local = null;
        state.limit = allocation.limit();
        state.live = allocation.liveReplicas();
        state.members = allocation.members();
        state.carryPending = Math.max(0, state.localGrants.size() - carried);
        state.localGrants.clear();
    }

    /**
     * How long a degraded replica grants nothing ({@link BudgetSettings#degradedPauseMicros}): the shared store holds
     * this replica's share out of every grant it makes that counts past this replica's last call plus the pause, so no
     * shared grant that the local ones can meet in a second was made with that share.
     */
    static Duration pause(BudgetSettings settings) {
        return Duration.ofNanos(settings.degradedPauseMicros() * 1_000);
    }

    private void degrade() {
        state.mode = Mode.DEGRADED;
        state.degradations++;
        state.failures = 0;
        state.failingSinceNanos = -1;
        state.localGrants.clear();
        state.reportedBacklog = false;
        state.degradedMembers = state.members;
        if (settings.redisFailure() == RedisFailurePolicy.REJECT) {
            state.local = null;
            state.localLimit = 0;
            state.degradedShare = 0;
            return;
        }
        int replicas = Math.max(1, state.live);
        int share = Math.max(1, state.limit / replicas);
        int floor = Math.max(1, Math.min(share, settings.minLimit() / replicas));
        state.degradedShare = share;
        state.local = new LocalBudgetStore(settings, share, floor, pause(settings), nanoTime);
        state.localClock = new StoreClock();
        state.localLimit = share;
    }
}
