package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.payegress.filters.budget.FairShare.Claim;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FairShareTest {

    static Stream<Arguments> tables() {
        return Stream.of(
                Arguments.of(
                        "equal weights split evenly",
                        500,
                        List.of(new Claim(1000, 1, -1), new Claim(1000, 1, -1)),
                        new double[] {250, 250}),
                Arguments.of(
                        "weights 1:2:4 split in proportion",
                        700,
                        List.of(new Claim(1000, 1, -1), new Claim(1000, 2, -1), new Claim(1000, 4, -1)),
                        new double[] {100, 200, 400}),
                Arguments.of(
                        "a tenant asking less than its share gets all it asks, the rest goes to the busy ones",
                        500,
                        List.of(new Claim(10, 1, -1), new Claim(1000, 1, -1), new Claim(1000, 1, -1)),
                        new double[] {10, 245, 245}),
                Arguments.of(
                        "an idle tenant's share is borrowed",
                        500,
                        List.of(new Claim(0, 4, -1), new Claim(1000, 1, -1)),
                        new double[] {0, 500}),
                Arguments.of(
                        "a cap bounds a tenant even when capacity is left",
                        500,
                        List.of(new Claim(1000, 1, 50), new Claim(100, 1, -1)),
                        new double[] {50, 100}),
                Arguments.of(
                        "a capped tenant's surplus goes to the others by weight",
                        600,
                        List.of(new Claim(1000, 4, 100), new Claim(1000, 1, -1), new Claim(1000, 4, -1)),
                        new double[] {100, 100, 400}),
                Arguments.of(
                        "demand below capacity is met in full",
                        500,
                        List.of(new Claim(100, 1, -1), new Claim(200, 3, -1)),
                        new double[] {100, 200}),
                Arguments.of("no claims, no shares", 500, List.of(), new double[] {}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void allocatesMaxMinFairWeightedShares(String behaviour, double capacity, List<Claim> claims, double[] expected) {
        double[] shares = FairShare.allocate(capacity, claims);

        assertThat(shares).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(shares[i]).as("share %d", i).isCloseTo(expected[i], within(1e-6));
        }
        assertThat(sum(shares)).isLessThanOrEqualTo(capacity + 1e-6);
    }

    private static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }
}
