package io.payegress.filters.budget;

import java.util.List;

/**
 * Weighted max-min fair allocation ("water filling") of a capacity among claimants: nobody gets more than it asks
 * for or than its cap, and what one leaves unused is shared among the others in proportion to their weights. The
 * budget script does the same computation in Lua; this class is its reference and its table-tested twin.
 */
public final class FairShare {

    /** One claimant: what it would use, its weight (at least 1) and its cap (negative = none). */
    public record Claim(double demand, int weight, double cap) {

        public Claim {
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1");
            }
        }

        double bound() {
            double positiveDemand = Math.max(0, demand);
            return cap < 0 ? positiveDemand : Math.min(positiveDemand, cap);
        }
    }

    private static final double EPSILON = 1e-9;

    private FairShare() {}

    /** The share of each claim, in the order given; the shares add up to at most the capacity. */
    public static double[] allocate(double capacity, List<Claim> claims) {
        double[] share = new double[claims.size()];
        boolean[] active = new boolean[claims.size()];
        int activeCount = 0;
        for (int i = 0; i < claims.size(); i++) {
            active[i] = claims.get(i).bound() > EPSILON;
            activeCount += active[i] ? 1 : 0;
        }
        double remaining = Math.max(0, capacity);
        while (activeCount > 0 && remaining > EPSILON) {
            double unit = remaining / activeWeight(claims, active);
            int saturated = 0;
            for (int i = 0; i < share.length; i++) {
                if (active[i]
                        && claims.get(i).bound() - share[i]
                                <= unit * claims.get(i).weight() + EPSILON) {
                    remaining -= claims.get(i).bound() - share[i];
                    share[i] = claims.get(i).bound();
                    active[i] = false;
                    saturated++;
                }
            }
            if (saturated == 0) {
                for (int i = 0; i < share.length; i++) {
                    share[i] += active[i] ? unit * claims.get(i).weight() : 0;
                }
                remaining = 0;
            }
            activeCount -= saturated;
        }
        return share;
    }

    private static double activeWeight(List<Claim> claims, boolean[] active) {
        double sum = 0;
        for (int i = 0; i < active.length; i++) {
            sum += active[i] ? claims.get(i).weight() : 0;
        }
        return sum;
    }
}
