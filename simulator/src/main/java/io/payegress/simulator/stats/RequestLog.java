package io.payegress.simulator.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last N recorded requests, oldest first; older ones fall off. Thread-safe. */
public final class RequestLog {

    private final ArrayDeque<RecordedRequest> requests = new ArrayDeque<>();
    private final int capacity;

    public RequestLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(RecordedRequest request) {
        if (capacity == 0) {
            return;
        }
        if (requests.size() == capacity) {
            requests.pollFirst();
        }
        requests.addLast(request);
    }

    public synchronized List<RecordedRequest> all() {
        return List.copyOf(requests);
    }

    /** The most recent {@code limit} requests, oldest first. */
    public synchronized List<RecordedRequest> last(int limit) {
        List<RecordedRequest> all = new ArrayList<>(requests);
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }

    public synchronized void clear() {
        requests.clear();
    }
}
