package io.payegress.filters.reconciliation;

import io.payegress.filters.tenant.Tenant;
import java.net.URI;
import java.time.Instant;
import reactor.core.publisher.Mono;

/**
 * WeChat Pay's coupon query as the reconciliation sees it: what a coupon's state is now. {@link CouponQueryClient}
 * is the real one; implementations never fail the Mono, every ending is a {@link QueryResult}.
 */
@FunctionalInterface
public interface CouponQuery {

    /** Queries the redemption's coupon (it must carry an openid) at WeChat Pay's host {@code base} by {@code until}. */
    Mono<QueryResult> query(URI base, Redemption redemption, Tenant tenant, Instant until);
}
