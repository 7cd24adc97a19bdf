package io.payegress.simulator.stats;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The longest collector pause of the simulator's JVM since start or the last reset, from the JVM's own collection
 * notifications. The limiter stamps a call when the event loop reads it, so a pause of d stamps the calls that
 * arrived during it at one instant: a sliding second counted at the simulator then holds up to 1 s + d of real
 * arrivals. The benchmark prints it beside the sliding-second maximum, to tell bunching by the simulator's own JVM
 * from bunching by the gateways.
 */
public final class PauseRecorder implements AutoCloseable {

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong longestMillis = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::collected;

    /** Listens to every collector of this JVM (concurrent cycles, which do not stop the event loop, are skipped). */
    public static PauseRecorder start() {
        PauseRecorder recorder = new PauseRecorder();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter && !concurrent(collector.getName())) {
                emitter.addNotificationListener(recorder.listener, null, null);
                recorder.emitters.add(emitter);
            }
        }
        return recorder;
    }

    /** How many pauses were seen. */
    public long count() {
        return count.get();
    }

    /** The longest pause seen, in milliseconds. */
    public long longestMillis() {
        return longestMillis.get();
    }

    public void reset() {
        count.set(0);
        longestMillis.set(0);
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException alreadyGone) {
                // nothing to remove
            }
        }
    }

    private void collected(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        if (!concurrent(info.getGcAction())) {
            count.incrementAndGet();
            longestMillis.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
        }
    }

    /** G1's and ZGC's concurrent work is reported by collectors (or actions) named so; it does not stop the JVM. */
    private static boolean concurrent(String name) {
        return name.contains("Concurrent") || name.contains("concurrent") || name.contains("Cycles");
    }
}
