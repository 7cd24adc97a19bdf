package io.payegress.filters.budget;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import io.lettuce.core.cluster.api.reactive.RedisAdvancedClusterReactiveCommands;
import io.payegress.filters.pipeline.Timeouts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The shared budget store: one Lua script call per allocation on Redis's clock, all keys of one budget in one hash
 * slot ({@code payegress:budget:{merchant:name}:*}) so it runs on Redis Cluster too. Each call is bounded by the
 * given timeout so that a dead Redis fails fast.
 */
public final class RedisBudgetStore implements BudgetStore {

    private static final Script ALLOCATE = Script.load("budget.lua");
    private static final Script THROTTLED = Script.load("budget_throttled.lua");

    private final RedisScriptingReactiveCommands<String, String> redis;
    private final BudgetSettings settings;
    private final Duration timeout;
    private final String[] keys;

    /**
     * Commands that know whether the connection under them is open, for commands that are not a Lettuce connection's
     * own (the gateway's connection made on first use).
     */
    public interface ConnectionState {
        boolean isOpen();
    }

    /**
     * A store for the budget {@code settings.name()} of {@code merchantId}; {@code redis} is a standalone
     * connection's {@code reactive()} or a cluster connection's (both implement the scripting commands), or commands
     * that also implement {@link ConnectionState}.
     */
    public RedisBudgetStore(
            RedisScriptingReactiveCommands<String, String> redis,
            String merchantId,
            BudgetSettings settings,
            Duration timeout) {
        this.redis = redis;
        this.settings = settings;
        this.timeout = timeout;
        String prefix = "payegress:budget:{" + merchantId + ":" + settings.name() + "}:";
        this.keys = new String[] {
            prefix + "log",
            prefix + "counts",
            prefix + "demand",
            prefix + "state",
            prefix + "live",
            prefix + "offered",
            prefix + "members",
            prefix + "reports"
        };
    }

    @Override
    public Mono<Allocation> allocate(Request request) {
        String demands;
        try {
            demands = demands(request.demands());
        } catch (IllegalArgumentException e) {
            return Mono.error(e);
        }
        List<String> args = new ArrayList<>(List.of(
                request.replica(),
                Integer.toString(settings.limit()),
                Long.toString(settings.windowMicros()),
                Long.toString(settings.horizonMicros()),
                Long.toString(settings.demandTtlMicros()),
                Long.toString(settings.replicaTtlMicros()),
                Integer.toString(request.fence().ordinal()),
                Double.toString(settings.recoveryPerSecond()),
                Integer.toString(request.carried()),
                Integer.toString(request.demands().size()),
                Long.toString(request.leadMicros()),
                Long.toString(request.reachMicros()),
                Long.toString(settings.holdMicros()),
                Integer.toString(request.members()),
                Integer.toString(request.share())));
        args.add(demands);
        args.add(Integer.toString(request.refunds().size()));
        for (Refund refund : request.refunds()) {
            args.add(refund.grant());
        }
        args.add(Integer.toString(request.departures().size()));
        for (Departed departed : request.departures()) {
            args.add(departed.grant());
            args.add(Long.toString(departed.untilMicros()));
            args.add(Integer.toString(departed.count().ordinal()));
        }
        return run(ALLOCATE, ScriptOutputType.MULTI, keys, args.toArray(String[]::new))
                .map(reply -> allocation(request, reply));
    }

    /**
     * Whether the connection under the commands is open: a call that fails while it is up is a slow Redis (the budget
     * waits for it), one that fails while it is down is Redis gone (the budget degrades).
     */
    @Override
    public boolean connected() {
        return isOpen(redis);
    }

    /** Whether the Lettuce connection under these commands is open; true when that cannot be told. */
    public static boolean isOpen(Object commands) {
        if (commands instanceof ConnectionState state) {
            return state.isOpen();
        }
        if (commands instanceof RedisReactiveCommands<?, ?> standalone) {
            return standalone.getStatefulConnection().isOpen();
        }
        if (commands instanceof RedisAdvancedClusterReactiveCommands<?, ?> cluster) {
            return cluster.getStatefulConnection().isOpen();
        }
        return true;
    }

    @Override
    public Mono<Double> throttled() {
        String[] args = {
            Integer.toString(settings.limit()),
            Integer.toString(settings.minLimit()),
            Double.toString(settings.recoveryPerSecond()),
            Double.toString(settings.decreaseFactor()),
            Long.toString(settings.windowMicros()),
            Double.toString(AdaptiveLimit.CEILING_FACTOR),
            Long.toString(AdaptiveLimit.CEILING_HOLD_MICROS)
        };
        return run(THROTTLED, ScriptOutputType.INTEGER, new String[] {keys[3]}, args)
                .map(result -> ((Long) result.get(0)).doubleValue());
    }

    private Mono<List<Object>> run(Script script, ScriptOutputType type, String[] scriptKeys, String[] args) {
        return Timeouts.within(
                redis.<Object>evalsha(script.sha(), type, scriptKeys, args)
                        .onErrorResume(
                                RedisNoScriptException.class, e -> redis.eval(script.text(), type, scriptKeys, args))
                        .collectList()
                        .map(RedisBudgetStore::flatten),
                timeout);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> flatten(List<Object> emitted) {
        if (emitted.size() == 1 && emitted.get(0) instanceof List<?> nested) {
            return (List<Object>) nested;
        }
        return emitted;
    }

    private static Allocation allocation(Request request, List<Object> reply) {
        List<Grant> grants = new ArrayList<>((reply.size() - 6) / 3);
        for (int i = 6; i + 2 < reply.size(); i += 3) {
            grants.add(
                    new Grant(((Long) reply.get(i)).intValue() - 1, (Long) reply.get(i + 1), text(reply.get(i + 2))));
        }
        String over = reply.get(4) == null ? "" : text(reply.get(4));
        Set<String> overShare = new HashSet<>();
        for (int i = 0; i < over.length(); i++) {
            if (over.charAt(i) == '1') {
                overShare.add(request.demands().get(i).tenant());
            }
        }
        return new Allocation(
                ((Long) reply.get(0)).intValue(),
                ((Long) reply.get(1)).intValue(),
                (Long) reply.get(2),
                (Long) reply.get(3),
                grants,
                overShare,
                ((Long) reply.get(5)).intValue());
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }

    private record Script(String text, String sha) {

        static Script load(String name) {
            try (InputStream in = RedisBudgetStore.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing script " + name);
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                byte[] sha = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return new Script(text, HexFormat.of().formatHex(sha));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The demands as one argument the script splits at single spaces: tenant, backlog, weight, cap and offered rate for
     * each (a tenant id holds no space: {@code TenantId}).
     */
    static String demands(List<Demand> demands) {
        StringBuilder text = new StringBuilder(demands.size() * 32);
        for (Demand d : demands) {
            if (d.tenant().isEmpty() || d.tenant().indexOf(' ') >= 0) {
                throw new IllegalArgumentException("a tenant in the shared budget must be non-empty without spaces");
            }
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(d.tenant())
                    .append(' ')
                    .append(d.backlog())
                    .append(' ')
                    .append(d.weight())
                    .append(' ')
                    .append(d.cap())
                    .append(' ')
                    .append(thousandths(d.offered()));
        }
        return text.toString();
    }

    /**
     * A rate of at least 0 with three decimals, as {@code %.3f} writes it (the script reads it with {@code tonumber}),
     * without {@link String#format}'s formatter: one per tenant in every call, 0.4% of a replica's CPU at twice the
     * limit (docs/benchmarks.md, session 41).
     */
    static String thousandths(double perSecond) {
        long thousandths = Math.round(Math.max(0, perSecond) * 1000);
        long fraction = thousandths % 1000;
        return (thousandths / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
