package io.payegress.filters.door;

import io.payegress.filters.auth.ApiKeyAuthenticator;
import io.payegress.filters.budget.BudgetLimiter;
import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.context.AccessLine;
import io.payegress.filters.context.RequestIds;
import io.payegress.filters.error.ErrorAnswer;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.error.PreparedAnswer;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.tenant.Tenant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;

/**
 * Decides where a request arrives whether its route's budget admission would refuse it at once, and renders that
 * refusal, so that {@link DoorHandler} answers it on its connection before the web server handles it. At five times
 * the limit four requests in five are refused at admission. Refused below the web framework instead, in a load the
 * budget refused 98% of, the gateways' CPU a request fell by 0.09-0.21 ms, 12-24%, in four alternated pairs
 * (docs/benchmarks.md, session 33), and on the connection by a further sixth (session 39).
 *
 * <p>While the route's budget sheds nobody ({@link BudgetLimiter#mayShed}: no tenant offers more than its share of the
 * limit) every request goes on at once. Otherwise it runs the route's door stages in their order with the stages' own
 * parts, and refuses only at the last: the request's tenant from its API key (the authentication stage's
 * {@link ApiKeyAuthenticator}), then the budget admission's rule ({@link BudgetLimiter#refusesAtDoor}). A request
 * authentication would refuse (no or an unknown API key), or that the admission would admit, goes on to its route
 * unchanged and nothing of it is counted here; the signing admission comes after the budget's, in the route. A refused
 * request gets what the pipeline gives it: the budget admission's {@code 429 RATE_LIMITED} with Retry-After in the
 * merchant's error schema, its {@code X-Request-Id}, one access-log line naming the stages it reached, and the same
 * counters (the budget's decisions, what its tenant offers, the errors answered, and the gateway's request timer with
 * the tags its metrics filter would give the answer: {@link RequestsMetric}).
 *
 * <p>Only routes matched by one method and one literal path qualify ({@link DoorRoute}); the application derives them
 * from the route definitions.
 */
public final class FrontDoor {

    /** The stages a refused request reached, as the access line names them: all at once, here. */
    private static final String STAGES = stage(PipelineStage.AUTHENTICATION) + ',' + stage(PipelineStage.ADMISSION);

    /** The admission's refusal, the same for every request the door refuses (it carries no stack trace). */
    private static final GatewayRejection REFUSAL = BudgetLimiter.shedAtAdmission();

    private final Map<String, DoorRoute> routes = new HashMap<>();
    private final ApiKeyAuthenticator authenticator;
    private final BudgetLimiters limiters;
    /** Each route's answer to {@link #REFUSAL}, prepared once: by route id. */
    private final Map<String, PreparedAnswer> answers = new HashMap<>();

    private final @Nullable RequestsMetric requests;

    /**
     * @param requests the gateway's request timer each refusal is recorded in, as the gateway's metrics filter records
     *     an answer of the route (null: the gateway records none)
     */
    public FrontDoor(
            Collection<DoorRoute> routes,
            Collection<Tenant> tenants,
            BudgetLimiters limiters,
            MerchantErrorResponder responder,
            @Nullable RequestsMetric requests) {
        for (DoorRoute route : routes) {
            this.routes.put(key(route.method().name(), route.path()), route);
            this.answers.put(route.id(), responder.prepare(route.id(), REFUSAL));
        }
        this.authenticator = new ApiKeyAuthenticator(tenants);
        this.limiters = limiters;
        this.requests = requests;
    }

    /** The routes the door runs the admission of. */
    public Collection<DoorRoute> routes() {
        return routes.values();
    }

    /**
     * The door's answer to a request with these parts, decided and counted (the budget's decision, what its tenant
     * offers, the merchant's error); null when it goes on to its route, counting nothing.
     *
     * @param path the request's raw path, without its query
     * @param arrivedAgoNanos how long ago the request reached this host, asked only when it is refused
     */
    public @Nullable Refusal refuse(
            String method,
            String path,
            @Nullable String authorization,
            @Nullable String requestIdHeader,
            @Nullable String acceptLanguage,
            LongSupplier arrivedAgoNanos) {
        long began = System.nanoTime();
        DoorRoute route = routes.get(key(method, path));
        if (route == null) {
            return null;
        }
        // while the budget sheds nobody (no tenant over its share) every request goes on at once: no API key hashed
        // twice, here and in the route's stages
        BudgetLimiter limiter = limiters.find(route.budget()).orElse(null);
        if (limiter == null || !limiter.mayShed()) {
            return null;
        }
        Tenant tenant = tenant(authorization).orElse(null);
        if (tenant == null) {
            return null;
        }
        long[] arrivedAgo = {-1};
        if (!limiter.refusesAtDoor(route.id(), tenant, () -> arrivedAgo[0] = arrivedAgoNanos.getAsLong())) {
            return null;
        }
        String requestId = RequestIds.takeOrGenerate(requestIdHeader);
        ErrorAnswer answer = answers.get(route.id()).answer(requestId, acceptLanguage);
        return new Refusal(route, tenant, requestId, REFUSAL, answer, began, arrivedAgo[0]);
    }

    /**
     * A request the door refuses, with its answer in the merchant's schema; {@link #answered} once the answer is
     * written.
     */
    public final class Refusal {

        private final DoorRoute route;
        private final Tenant tenant;
        private final String requestId;
        private final GatewayRejection rejection;
        private final ErrorAnswer answer;
        private final long began;
        private final long arrivedAgo;

        private Refusal(
                DoorRoute route,
                Tenant tenant,
                String requestId,
                GatewayRejection rejection,
                ErrorAnswer answer,
                long began,
                long arrivedAgo) {
            this.route = route;
            this.tenant = tenant;
            this.requestId = requestId;
            this.rejection = rejection;
            this.answer = answer;
            this.began = began;
            this.arrivedAgo = arrivedAgo;
        }

        public String requestId() {
            return requestId;
        }

        public ErrorAnswer answer() {
            return answer;
        }

        /**
         * Records the written answer as the pipeline records one: the gateway's request timer and the access line
         * naming the stages it reached.
         */
        public void answered() {
            long took = System.nanoTime() - began;
            if (requests != null) {
                requests.record(route, HttpStatusCode.valueOf(answer.status()), took);
            }
            new AccessLine(
                            requestId,
                            "-",
                            tenant.id().toString(),
                            route.id(),
                            route.method().name(),
                            route.path(),
                            answer.status(),
                            AccessLine.outcome(rejection),
                            took / 1_000_000,
                            Long.toString(Math.max(0, arrivedAgo) / 1_000_000),
                            STAGES)
                    .write();
        }
    }

    private Optional<Tenant> tenant(@Nullable String authorization) {
        String apiKey = ApiKeyAuthenticator.bearerToken(authorization);
        return apiKey == null ? Optional.empty() : authenticator.authenticate(apiKey);
    }

    private static String stage(PipelineStage stage) {
        return stage.name().toLowerCase(Locale.ROOT) + ":0";
    }

    private static String key(String method, String path) {
        return method + ' ' + path;
    }
}
