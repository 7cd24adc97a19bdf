package io.payegress.gateway.config;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.resources.LoopResources;

/**
 * Which of the gateway's threads the operating system runs first when the CPU is short. A granted request leaves on
 * WeChat's event loop at its slot, and the budget's timer thread hands grants out: each time one of them wakes on a
 * busy machine it waits for a CPU behind the server's event loops and the signing threads (at five times the limit on
 * the 2-core bench, 4.5-5.8 ms before each time slice, a grant leaving 42-77 ms after its slot), and every grant
 * counts against the limit from its slot to its answer plus a second. These two threads need little CPU (55-68 ms a
 * second between them per replica at five times the limit), so they are put ahead of the bulk of the work, in one of two ways (Linux, and
 * only with the JVM's {@code -XX:ThreadPriorityPolicy=1}, which maps Java thread priorities to nice values; the
 * image sets it):
 *
 * <ul>
 *   <li>{@link Mode#RAISED}: where the process may raise a thread's priority (root, or {@code CAP_SYS_NICE}), the two
 *       latency-critical threads run at {@link Thread#MAX_PRIORITY} (nice -5), everything else as before;
 *   <li>{@link Mode#LOWERED}: where it may not (a non-root pod), the server's event loops and the signing threads run
 *       at {@link Thread#MIN_PRIORITY} (nice 4) instead. Within a pod's own CPU cgroup the order is the same; on a
 *       host shared without cgroups it also cedes CPU to the host's other processes.
 * </ul>
 *
 * <p>{@link Mode#UNCHANGED} where neither takes effect (the policy flag absent, or not Linux): every thread runs at
 * the default priority, as before. Found by a probe thread at startup, which reads its own nice value from
 * {@code /proc/thread-self/stat} before and after changing its Java priority.
 */
public final class ThreadPriorities {

    private static final Logger log = LoggerFactory.getLogger(ThreadPriorities.class);

    /** How thread priorities take effect in this process. */
    public enum Mode {
        /** The latency-critical threads run ahead (nice below the default). */
        RAISED,
        /** The bulk threads run behind (nice above the default). */
        LOWERED,
        /** Java thread priorities have no effect here. */
        UNCHANGED
    }

    private final Mode mode;

    ThreadPriorities(Mode mode) {
        this.mode = mode;
    }

    /** Probes what thread priorities do in this process (a short-lived thread), and logs it. */
    public static ThreadPriorities detect() {
        ThreadPriorities priorities = new ThreadPriorities(probe(ThreadPriorities::ownNice));
        log.info(
                "thread priorities: {} ({})",
                priorities.mode,
                switch (priorities.mode) {
                    case RAISED -> "WeChat's event loops and the budget's timer thread at nice -5";
                    case LOWERED -> "the server's event loops and the signing threads at nice 4";
                    case UNCHANGED -> "no effect here: -XX:ThreadPriorityPolicy=1 absent, or not Linux";
                });
        return priorities;
    }

    /**
     * What changing a thread's Java priority does to its nice value, tried on a new thread: first raised (which only a
     * privileged process can do, and which cannot be undone without the privilege), then lowered.
     */
    static Mode probe(IntSupplier niceOfCurrentThread) {
        AtomicReference<Mode> found = new AtomicReference<>(Mode.UNCHANGED);
        Thread probe = new Thread(
                () -> {
                    int before = niceOfCurrentThread.getAsInt();
                    Thread.currentThread().setPriority(Thread.MAX_PRIORITY);
                    if (niceOfCurrentThread.getAsInt() < before) {
                        found.set(Mode.RAISED);
                        return;
                    }
                    Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
                    if (niceOfCurrentThread.getAsInt() > before) {
                        found.set(Mode.LOWERED);
                    }
                },
                "payegress-priority-probe");
        probe.setPriority(Thread.NORM_PRIORITY);
        probe.start();
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return found.get();
    }

    /** The nice value of the calling thread, from {@code /proc/thread-self/stat}; 0 where it cannot be read. */
    static int ownNice() {
        try {
            return niceOf(Files.readString(Path.of("/proc/thread-self/stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The nice value in a line of {@code /proc/<pid>/stat} (proc(5)): field 19, counted after the command name. */
    static int niceOf(String stat) {
        // the command name is in parentheses and may hold spaces and parentheses: state, field 3, follows the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    public Mode mode() {
        return mode;
    }

    /** Daemon threads for a latency-critical scheduler (the budget's timers), named {@code name-N}. */
    public ThreadFactory latencyCritical(String name) {
        return threads(name, mode == Mode.RAISED ? Thread.MAX_PRIORITY : Thread.NORM_PRIORITY);
    }

    /** Daemon threads for bulk work (signing), named {@code name-N}. */
    public ThreadFactory bulk(String name) {
        return threads(name, mode == Mode.LOWERED ? Thread.MIN_PRIORITY : Thread.NORM_PRIORITY);
    }

    /**
     * Starts the threads of latency-critical client event loops (WeChat's connections) ahead, where that is possible.
     * Call it before anything else uses them: their threads are made and started here, in a thread group of their own
     * whose ceiling then falls back to the default, so that a thread one of them creates later (a Reactor scheduler's
     * worker, started on first use by whichever thread uses it first) does not inherit its priority.
     */
    public void latencyCritical(LoopResources resources) {
        if (mode == Mode.RAISED) {
            inOwnGroup("payegress-loop-priority", () -> {
                for (EventExecutor loop : resources.onClient(true)) {
                    loop.submit(() -> Thread.currentThread().setPriority(Thread.MAX_PRIORITY))
                            .syncUninterruptibly();
                }
            });
        }
    }

    /**
     * Puts the threads of a bulk event loop group (the server's) behind, where the critical ones cannot go ahead.
     * Threads created later from them without a priority of their own (Java threads inherit their creator's) start
     * behind too.
     */
    public void bulk(EventLoopGroup loops) {
        if (mode == Mode.LOWERED) {
            prioritise(loops, Thread.MIN_PRIORITY);
        }
    }

    private static void prioritise(EventLoopGroup loops, int priority) {
        for (EventExecutor loop : loops) {
            loop.execute(() -> Thread.currentThread().setPriority(priority));
        }
    }

    /**
     * Threads of the given priority, each in a group of its own under the JVM's top thread group: a Java thread's
     * priority is capped by its group's ceiling, and a group made under the creating thread's would inherit that
     * thread's ceiling (a Reactor worker made by a raised thread has the default ceiling: session 31 found a raised
     * I/O thread made from such a worker running at the default priority).
     */
    private static ThreadFactory threads(String name, int priority) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            ThreadGroup group = new ThreadGroup(topGroup(), name);
            Thread thread = new Thread(group, task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setPriority(priority);
            // what this thread creates starts at the default priority at most (Java threads inherit their creator's)
            group.setMaxPriority(Math.min(priority, Thread.NORM_PRIORITY));
            return thread;
        };
    }

    /** The JVM's top thread group (Java's "system"), whose ceiling is the maximum priority. */
    private static ThreadGroup topGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }

    /** Runs {@code start} on a thread in a new thread group, whose ceiling is then the default priority. */
    private static void inOwnGroup(String name, Runnable start) {
        ThreadGroup group = new ThreadGroup(name);
        Thread starter = new Thread(group, start, name);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.setMaxPriority(Thread.NORM_PRIORITY);
    }
}
