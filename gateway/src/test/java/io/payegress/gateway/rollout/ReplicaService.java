package io.payegress.gateway.rollout;

import io.payegress.gateway.support.GatewayInstance;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The Kubernetes Service in front of the replicas, as a POS reaches it: each request goes to the next replica, round
 * robin, among those whose readiness accepts traffic (the endpoints a readiness probe keeps), over that replica's
 * pooled keep-alive connections. It counts each replica's requests in flight and what a replica answered after its
 * readiness went down.
 */
final class ReplicaService {

    /** One replica behind the Service. */
    static final class Endpoint {
        final GatewayInstance gateway;
        final WebClient client;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger okWhileDraining = new AtomicInteger();
        final AtomicInteger otherWhileDraining = new AtomicInteger();

        Endpoint(GatewayInstance gateway) {
            this.gateway = gateway;
            this.client = WebClient.create(gateway.baseUrl());
        }

        /** Notes an answer (its HTTP status) that came back from this replica. */
        void answered(int status) {
            if (!gateway.ready()) {
                (status == 200 ? okWhileDraining : otherWhileDraining).incrementAndGet();
            }
        }
    }

    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    Endpoint add(GatewayInstance gateway) {
        Endpoint endpoint = new Endpoint(gateway);
        endpoints.add(endpoint);
        return endpoint;
    }

    void remove(Endpoint endpoint) {
        endpoints.remove(endpoint);
    }

    List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    /** The next ready replica, or empty while none is ready. */
    Optional<Endpoint> pick() {
        List<Endpoint> ready = endpoints.stream().filter(e -> e.gateway.ready()).toList();
        if (ready.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ready.get(Math.floorMod(next.getAndIncrement(), ready.size())));
    }
}
