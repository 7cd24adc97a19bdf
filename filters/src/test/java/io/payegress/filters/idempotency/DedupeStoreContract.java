package io.payegress.filters.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Every behaviour a {@link DedupeStore} promises. Adapter tests only supply the store and a way to let a TTL pass.
 */
abstract class DedupeStoreContract {

    static final Duration LONG = Duration.ofMinutes(5);
    static final Duration SHORT = Duration.ofMillis(300);
    static final Fingerprint FP = Fingerprint.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    static final Fingerprint OTHER_FP = Fingerprint.of("{\"a\":2}".getBytes(StandardCharsets.UTF_8));

    /** The store under test, empty. */
    abstract DedupeStore store();

    /** Lets {@code ttl} pass for {@code key}: advances a clock, or waits (bounded) until Redis expired the key. */
    abstract void letExpire(DedupeKey key, Duration ttl);

    static DedupeKey key() {
        return new DedupeKey("1900000109", "coupons-use", "urn-" + UUID.randomUUID());
    }

    static StoredResponse response() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        return new StoredResponse(
                200,
                List.of(
                        new StoredResponse.Header("Content-Type", "application/json"),
                        new StoredResponse.Header("X-Upstream-Request-Id", "08F78BB5AF0D11E")),
                allBytes);
    }

    ClaimOutcome claim(DedupeKey key, Fingerprint fp, String owner, Duration ttl) {
        return store().claim(key, fp, owner, ttl, LONG).block(Duration.ofSeconds(5));
    }

    @Test
    void firstClaimOfAKeyIsClaimed() {
        assertThat(claim(key(), FP, "a", LONG)).isInstanceOf(ClaimOutcome.Claimed.class);
    }

    @Test
    void claimWhileInFlightReportsTheFirstFingerprint() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        assertThat(claim(key, FP, "b", LONG)).isEqualTo(new ClaimOutcome.InFlight(FP));
        assertThat(claim(key, OTHER_FP, "c", LONG)).isEqualTo(new ClaimOutcome.InFlight(FP));
    }

    @Test
    void fiftyConcurrentClaimsOfOneKeyYieldExactlyOneClaimed() {
        DedupeKey key = key();
        List<ClaimOutcome> outcomes = Flux.range(0, 50)
                .flatMap(i -> Mono.defer(() -> store().claim(key, FP, "owner-" + i, LONG, LONG))
                        .subscribeOn(Schedulers.parallel()))
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(outcomes).hasSize(50);
        assertThat(outcomes).filteredOn(o -> o instanceof ClaimOutcome.Claimed).hasSize(1);
        assertThat(outcomes)
                .filteredOn(o -> o.equals(new ClaimOutcome.InFlight(FP)))
                .hasSize(49);
    }

    @Test
    void completedRecordReturnsIdenticalStatusHeadersAndBodyBytes() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        assertThat(store().complete(key, "a", response(), LONG).block()).isTrue();

        ClaimOutcome again = claim(key, OTHER_FP, "b", LONG);
        assertThat(again).isEqualTo(new ClaimOutcome.Completed(FP, response()));
        assertThat(((ClaimOutcome.Completed) again).response().body())
                .containsExactly(response().body());
    }

    @Test
    void nonOwnerCannotCompleteAndTheClaimStaysInFlight() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        assertThat(store().complete(key, "intruder", response(), LONG).block()).isFalse();
        assertThat(claim(key, FP, "b", LONG)).isEqualTo(new ClaimOutcome.InFlight(FP));
    }

    @Test
    void completingAnUnclaimedKeyStoresNothing() {
        DedupeKey key = key();
        assertThat(store().complete(key, "a", response(), LONG).block()).isFalse();
        assertThat(claim(key, FP, "a", LONG)).isInstanceOf(ClaimOutcome.Claimed.class);
    }

    @Test
    void completedRecordCannotBeCompletedAgain() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        store().complete(key, "a", response(), LONG).block();
        StoredResponse other = new StoredResponse(500, List.of(), new byte[] {1});
        assertThat(store().complete(key, "a", other, LONG).block()).isFalse();
        assertThat(claim(key, FP, "b", LONG)).isEqualTo(new ClaimOutcome.Completed(FP, response()));
    }

    @Test
    void nonOwnerCannotRelease() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        assertThat(store().release(key, "intruder", false).block()).isFalse();
        assertThat(claim(key, FP, "b", LONG)).isEqualTo(new ClaimOutcome.InFlight(FP));
    }

    @Test
    void ownerReleaseLetsTheNextClaimWin() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        assertThat(store().release(key, "a", false).block()).isTrue();
        assertThat(claim(key, OTHER_FP, "b", LONG)).isInstanceOf(ClaimOutcome.Claimed.class);
    }

    @Test
    void releaseNeverDeletesACompletedRecord() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        store().complete(key, "a", response(), LONG).block();
        assertThat(store().release(key, "a", false).block()).isFalse();
        assertThat(claim(key, FP, "b", LONG)).isInstanceOf(ClaimOutcome.Completed.class);
    }

    @Test
    void abandonedInFlightClaimExpiresAndTheNextClaimWins() {
        DedupeKey key = key();
        claim(key, FP, "crashed", SHORT);
        letExpire(key, SHORT);
        assertThat(claim(key, FP, "b", LONG)).isInstanceOf(ClaimOutcome.Claimed.class);
        assertThat(store().complete(key, "crashed", response(), LONG).block()).isFalse();
    }

    @Test
    void completedRecordExpiresAfterItsTtl() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        store().complete(key, "a", response(), SHORT).block();
        letExpire(key, SHORT);
        assertThat(claim(key, FP, "b", LONG)).isInstanceOf(ClaimOutcome.Claimed.class);
    }

    @Test
    void keysOfOtherMerchantsAndRoutesAreIndependent() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        DedupeKey otherRoute = new DedupeKey(key.merchantId(), "other-route", key.useRequestNo());
        DedupeKey otherMerchant = new DedupeKey("1900000110", key.routeId(), key.useRequestNo());
        assertThat(claim(otherRoute, FP, "b", LONG)).isInstanceOf(ClaimOutcome.Claimed.class);
        assertThat(claim(otherMerchant, FP, "c", LONG)).isInstanceOf(ClaimOutcome.Claimed.class);
    }

    @Test
    void awaitEmitsTheRecordWhenTheOwnerCompletesWhileWaiting() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        Mono<ClaimOutcome.Completed> waiting =
                store().await(key, Duration.ofSeconds(5)).cache();
        waiting.subscribe();
        store().complete(key, "a", response(), LONG).block();
        assertThat(waiting.block(Duration.ofSeconds(5))).isEqualTo(new ClaimOutcome.Completed(FP, response()));
    }

    @Test
    void awaitEmitsAnAlreadyCompletedRecordAtOnce() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        store().complete(key, "a", response(), LONG).block();
        assertThat(store().await(key, Duration.ofMillis(50)).block(Duration.ofSeconds(5)))
                .isEqualTo(new ClaimOutcome.Completed(FP, response()));
    }

    @Test
    void awaitIsEmptyWhenMaxWaitPassesWhileStillInFlight() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        assertThat(store().await(key, Duration.ofMillis(150)).blockOptional(Duration.ofSeconds(5)))
                .isEmpty();
        assertThat(claim(key, FP, "b", LONG)).isEqualTo(new ClaimOutcome.InFlight(FP));
    }

    @Test
    void awaitIsEmptyWhenTheClaimIsReleased() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        Mono<ClaimOutcome.Completed> waiting =
                store().await(key, Duration.ofSeconds(30)).cache();
        waiting.subscribe();
        store().release(key, "a", false).block();
        assertThat(waiting.blockOptional(Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void aFirstClaimKnowsOfNoEarlierAttempt() {
        assertThat(claim(key(), FP, "a", LONG)).isEqualTo(new ClaimOutcome.Claimed(false));
    }

    @Test
    void aClaimAfterAReleaseOfAWrittenAttemptLearnsOfTheEarlierAttempt() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        assertThat(store().release(key, "a", true).block()).isTrue();

        assertThat(claim(key, FP, "b", LONG)).isEqualTo(new ClaimOutcome.Claimed(true));
    }

    @Test
    void aClaimAfterAReleaseWithNothingWrittenKnowsOfNoEarlierAttempt() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        store().release(key, "a", false).block();

        assertThat(claim(key, FP, "b", LONG)).isEqualTo(new ClaimOutcome.Claimed(false));
    }

    @Test
    void aClaimAfterAnAbandonedClaimLearnsThatItsDeadOwnerMayHaveSentAnAttempt() {
        DedupeKey key = key();
        claim(key, FP, "crashed", SHORT);
        letExpire(key, SHORT);

        assertThat(claim(key, FP, "b", LONG)).isEqualTo(new ClaimOutcome.Claimed(true));
    }

    @Test
    void anEarlierAttemptIsRememberedThroughALaterClaimReleasedWithNothingWritten() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        store().release(key, "a", true).block();
        claim(key, FP, "b", LONG);
        store().release(key, "b", false).block();

        assertThat(claim(key, FP, "c", LONG)).isEqualTo(new ClaimOutcome.Claimed(true));
    }

    @Test
    void aCompletedRecordForgetsTheAttemptsBeforeIt() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        store().release(key, "a", true).block();
        claim(key, FP, "b", LONG);
        assertThat(store().complete(key, "b", response(), SHORT).block()).isTrue();
        letExpire(key, SHORT);

        assertThat(claim(key, FP, "c", LONG)).isEqualTo(new ClaimOutcome.Claimed(false));
    }

    @Test
    void aRefusedReleaseLeavesTheClaimAndItsMarker() {
        DedupeKey key = key();
        claim(key, FP, "a", LONG);
        assertThat(store().release(key, "intruder", false).block()).isFalse();
        store().release(key, "a", true).block();

        assertThat(claim(key, FP, "b", LONG)).isEqualTo(new ClaimOutcome.Claimed(true));
    }
}
