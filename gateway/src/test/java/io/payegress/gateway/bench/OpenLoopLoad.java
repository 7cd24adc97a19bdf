package io.payegress.gateway.bench;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * An open-loop load: each tenant's requests leave at a fixed arrival rate whatever the answers' latency (a slow
 * gateway gets more requests in flight, not fewer arrivals), so the gateways see the offered load the plan says.
 * The schedule runs on this tool's own thread; requests go out on Reactor Netty without blocking it.
 */
final class OpenLoopLoad implements AutoCloseable {

    static final String USE_PATH = "/v3/marketing/busifavor/coupons/use";
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final String BODY = "{\"coupon_code\":\"%s\",\"stock_id\":\"100088\",\"appid\":\"wx1234567889999\","
            + "\"use_time\":\"2015-05-20T13:29:35+08:00\",\"use_request_no\":\"%s\",\"openid\":\"xsd3434454567676\"}";

    /** One answered (or failed) request: its tenant, when it left, how long it took, its status and error code. */
    record Call(String tenant, long sentNanos, long latencyNanos, int status, String code) {}

    /**
     * Connections per gateway (a pool per address): three gateways at 8,192 each outgrew the 20,000 open files a
     * process gets on the build machine and ended 2-5x runs before their measured part. A request beyond them waits
     * for a connection; its latency still counts from when it was due to leave.
     */
    private final ConnectionProvider connections = ConnectionProvider.builder("load")
            .maxConnections(5000)
            .pendingAcquireMaxCount(-1)
            .build();

    private final HttpClient client = HttpClient.create(connections).responseTimeout(Duration.ofSeconds(30));

    /**
     * The admin calls and scrapes: their own connections and event loop, so that they do not queue behind the load's
     * answers (at five times the limit the load's event loops ran seconds behind, and a reset of the simulator timed out
     * after 10 s, ending the run).
     */
    private final LoopResources adminLoop = LoopResources.create("load-admin", 1, true);

    private final ConnectionProvider adminConnections = ConnectionProvider.create("load-admin", 8);
    private final HttpClient adminClient = HttpClient.create(adminConnections).runOn(adminLoop);
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong rotation = new AtomicLong();

    /** The calls of a measured part, and when it began (System.nanoTime). */
    record Measured(long startNanos, List<Call> calls) {}

    /**
     * Sends the plan's load for {@code warmUp} and then, without a pause, for {@code duration} (the measured part), and
     * returns the calls sent in the measured part once every call is answered (or 30 s after the last left).
     * {@code atSecond} runs on the schedule thread at each whole second, counted from the measured part's start
     * (negative in the warm-up, 0 as it begins, {@code duration} as it ends). The plan's step of the offered rate
     * applies in the measured part, counted from its start.
     */
    Measured run(LoadPlan plan, Duration warmUp, Duration duration, IntConsumer atSecond) {
        List<String> tenants = new ArrayList<>(plan.tenantRates().keySet());
        double[] rates = tenants.stream().mapToDouble(plan.tenantRates()::get).toArray();
        long[] sent = new long[tenants.size()];
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long measured = start + warmUp.toNanos();
        long end = measured + duration.toNanos();
        double warmUpSeconds = warmUp.toNanos() / 1e9;
        int second = (int) -warmUp.toSeconds();
        atSecond.accept(second);
        for (long now = start; now < end; now = System.nanoTime()) {
            double elapsed = (now - start) / 1e9;
            int whole = (int) Math.floor(elapsed - warmUpSeconds);
            while (whole > second) {
                atSecond.accept(++second);
            }
            for (int i = 0; i < tenants.size(); i++) {
                double offered = elapsed < warmUpSeconds
                        ? plan.offered(rates[i], elapsed, false)
                        : plan.offered(rates[i], warmUpSeconds, false)
                                + plan.offered(rates[i], elapsed - warmUpSeconds, true);
                long due = (long) Math.floor(offered) + 1;
                for (; sent[i] < due; sent[i]++) {
                    send(plan, tenants.get(i), i, calls);
                }
            }
            LockSupport.parkNanos(200_000);
        }
        while (second < duration.toSeconds()) {
            atSecond.accept(++second);
        }
        long drainUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (pending.get() > 0 && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(10_000_000);
        }
        return new Measured(
                measured,
                calls.stream().filter(c -> c.sentNanos() - measured >= 0).toList());
    }

    private void send(LoadPlan plan, String tenant, int tenantIndex, ConcurrentLinkedQueue<Call> calls) {
        List<URI> gateways = plan.gateways();
        long pick = plan.pinned() ? tenantIndex : rotation.getAndIncrement();
        URI gateway = gateways.get((int) (pick % gateways.size()));
        long n = sequence.incrementAndGet();
        String body = String.format(BODY, "load-" + run + "-" + n, run + n);
        long sentNanos = System.nanoTime();
        pending.incrementAndGet();
        client.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + LoadPlan.apiKey(tenant))
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .set(HttpHeaderNames.ACCEPT, "application/json")
                        .set(HttpHeaderNames.USER_AGENT, "payegress-load"))
                .post()
                .uri(gateway.resolve(USE_PATH))
                // a Mono body: one write of the headers and the body with a Content-Length, as a POS posts a small JSON
                // (a Flux is sent chunked, the body in a later write that a starved load tool made seconds late)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))))
                .responseSingle((response, bytes) -> bytes.asString()
                        .defaultIfEmpty("")
                        .map(text -> call(tenant, sentNanos, response.status().code(), text)))
                .onErrorResume(error ->
                        Mono.just(call(tenant, sentNanos, -1, error.getClass().getSimpleName())))
                .subscribe(call -> {
                    calls.add(call);
                    pending.decrementAndGet();
                });
    }

    private static Call call(String tenant, long sentNanos, int status, String body) {
        String code = "";
        if (status != 200) {
            Matcher matcher = CODE.matcher(body);
            code = matcher.find() ? matcher.group(1) : status < 0 ? body : "";
        }
        return new Call(tenant, sentNanos, System.nanoTime() - sentNanos, status, code);
    }

    /** One GET or PUT/POST to the simulator's admin API, answered as text (blocking: this tool's thread only). */
    String admin(URI simulator, String method, String path, String json) {
        HttpClient admin = adminClient.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
        HttpClient.ResponseReceiver<?> receiver = "GET".equals(method)
                ? admin.get().uri(simulator.resolve(path))
                : admin.request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
                        .uri(simulator.resolve(path))
                        .send(ByteBufFlux.fromString(Mono.just(json)));
        return receiver.responseContent()
                .aggregate()
                .asString()
                .defaultIfEmpty("")
                .block(Duration.ofSeconds(10));
    }

    /**
     * A GET of any URL as text, blocking this tool's thread. Waits up to a minute: a gateway swamped at five times the
     * limit answered its metrics scrape after the warm-up in more than 10 s (stock SCG's too), and the run, not the
     * scrape, is what measures it.
     */
    String get(URI url) {
        return adminClient
                .get()
                .uri(url)
                .responseContent()
                .aggregate()
                .asString()
                .defaultIfEmpty("")
                .block(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        connections.dispose();
        adminConnections.dispose();
        adminLoop.dispose();
    }
}
