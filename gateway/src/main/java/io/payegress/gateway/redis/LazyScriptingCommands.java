package io.payegress.gateway.redis;

import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import io.payegress.filters.budget.RedisBudgetStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Lettuce scripting commands whose connection is made on first use, off the event loop, and made again after a
 * failed attempt. So the gateway starts while Redis is down: the budget's calls fail fast, it degrades to its
 * share, and it returns to shared mode once a connection succeeds.
 */
final class LazyScriptingCommands implements InvocationHandler {

    private final Supplier<RedisScriptingReactiveCommands<String, String>> connect;
    private volatile @Nullable RedisScriptingReactiveCommands<String, String> commands;

    private LazyScriptingCommands(Supplier<RedisScriptingReactiveCommands<String, String>> connect) {
        this.connect = connect;
    }

    @SuppressWarnings("unchecked")
    static RedisScriptingReactiveCommands<String, String> of(
            Supplier<RedisScriptingReactiveCommands<String, String>> connect) {
        return (RedisScriptingReactiveCommands<String, String>) Proxy.newProxyInstance(
                RedisScriptingReactiveCommands.class.getClassLoader(),
                new Class<?>[] {RedisScriptingReactiveCommands.class, RedisBudgetStore.ConnectionState.class},
                new LazyScriptingCommands(connect));
    }

    /** False before the first connection and while Lettuce is reconnecting after losing it. */
    private boolean isOpen() {
        RedisScriptingReactiveCommands<String, String> connected = commands;
        return connected != null && RedisBudgetStore.isOpen(connected);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
        if (method.getDeclaringClass() == RedisBudgetStore.ConnectionState.class) {
            return isOpen();
        }
        if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("toString") ? "LazyScriptingCommands" : method.invoke(this, args);
        }
        Mono<RedisScriptingReactiveCommands<String, String>> ready = commands();
        if (Flux.class.isAssignableFrom(method.getReturnType())) {
            return ready.flatMapMany(c -> (Flux<?>) call(method, c, args));
        }
        return ready.flatMap(c -> (Mono<?>) call(method, c, args));
    }

    private Mono<RedisScriptingReactiveCommands<String, String>> commands() {
        RedisScriptingReactiveCommands<String, String> connected = commands;
        if (connected != null) {
            return Mono.just(connected);
        }
        return Mono.fromCallable(this::connectOnce).subscribeOn(Schedulers.boundedElastic());
    }

    private synchronized RedisScriptingReactiveCommands<String, String> connectOnce() {
        if (commands == null) {
            commands = connect.get();
        }
        return commands;
    }

    private static Object call(Method method, Object target, Object @Nullable [] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            return Mono.error(e.getCause());
        } catch (IllegalAccessException e) {
            return Mono.error(e);
        }
    }
}
