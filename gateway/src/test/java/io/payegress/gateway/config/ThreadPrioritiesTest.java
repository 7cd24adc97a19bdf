package io.payegress.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.payegress.gateway.config.ThreadPriorities.Mode;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

class ThreadPrioritiesTest {

    /** The nice values a Java priority gets under -XX:ThreadPriorityPolicy=1 (HotSpot's table for Linux). */
    private static final Map<Integer, Integer> NICE = Map.of(Thread.MIN_PRIORITY, 4, Thread.NORM_PRIORITY, 0);

    /** A process that may raise priorities: every Java priority takes its nice value. */
    private static final IntSupplier PRIVILEGED = () -> Thread.currentThread().getPriority() == Thread.MAX_PRIORITY
            ? -5
            : NICE.getOrDefault(Thread.currentThread().getPriority(), 0);

    /** A non-root process: raising fails (the thread keeps its nice value), lowering works. */
    private static final IntSupplier UNPRIVILEGED =
            () -> NICE.getOrDefault(Thread.currentThread().getPriority(), 0);

    @Test
    void aPrivilegedProcessRaisesTheCriticalThreads() {
        assertThat(ThreadPriorities.probe(PRIVILEGED)).isEqualTo(Mode.RAISED);
    }

    @Test
    void aProcessThatCannotRaiseLowersTheBulkInstead() {
        assertThat(ThreadPriorities.probe(UNPRIVILEGED)).isEqualTo(Mode.LOWERED);
    }

    @Test
    void withoutThePolicyFlagNothingChanges() {
        assertThat(ThreadPriorities.probe(() -> 0)).isEqualTo(Mode.UNCHANGED);
    }

    @Test
    void readsTheNiceValueAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (reactor (http) 1) S 1 4242 4242 0 -1 4194560 1234 0 0 0 17 3 0 0 24 4 40 0 12345 "
                + "7654321 2345 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ThreadPriorities.niceOf(stat)).isEqualTo(4);
        assertThat(ThreadPriorities.ownNice()).isBetween(-20, 19);
    }

    @Test
    void raisedTheTimerThreadRunsAtMaximumPriorityAndSigningAsBefore() {
        ThreadPriorities raised = new ThreadPriorities(Mode.RAISED);
        assertThread(raised.latencyCritical("payegress-budget"), "payegress-budget-1", Thread.MAX_PRIORITY);
        assertThread(raised.bulk("payegress-sign"), "payegress-sign-1", Thread.NORM_PRIORITY);
    }

    @Test
    void loweredTheSigningThreadsRunAtMinimumPriorityAndTheTimerAsBefore() {
        ThreadPriorities lowered = new ThreadPriorities(Mode.LOWERED);
        assertThread(lowered.latencyCritical("payegress-budget"), "payegress-budget-1", Thread.NORM_PRIORITY);
        assertThread(lowered.bulk("payegress-sign"), "payegress-sign-1", Thread.MIN_PRIORITY);
    }

    @Test
    void serverLoopsGoBehindOnlyWhereTheCriticalThreadsCannotGoAhead() throws Exception {
        assertThat(serverLoopPriorityAfter(new ThreadPriorities(Mode.LOWERED))).isEqualTo(Thread.MIN_PRIORITY);
        assertThat(serverLoopPriorityAfter(new ThreadPriorities(Mode.RAISED))).isEqualTo(Thread.NORM_PRIORITY);
        assertThat(serverLoopPriorityAfter(new ThreadPriorities(Mode.UNCHANGED)))
                .isEqualTo(Thread.NORM_PRIORITY);
        LoopResources upstream = LoopResources.create("test-upstream", 1, true);
        try {
            new ThreadPriorities(Mode.LOWERED).latencyCritical(upstream);
            assertThat(upstream.onClient(true)
                            .submit(() -> Thread.currentThread().getPriority())
                            .get())
                    .isEqualTo(Thread.NORM_PRIORITY);
        } finally {
            upstream.dispose();
        }
    }

    @Test
    void threadsTheRaisedOnesCreateStartAtTheDefaultPriority() throws Exception {
        ThreadPriorities raised = new ThreadPriorities(Mode.RAISED);
        LoopResources upstream = LoopResources.create("test-upstream", 1, true);
        try {
            raised.latencyCritical(upstream);
            EventLoopGroup loops = upstream.onClient(true);
            assertThat(loops.submit(() -> Thread.currentThread().getPriority()).get())
                    .isEqualTo(Thread.MAX_PRIORITY);
            assertThat(loops.submit(() -> new Thread(() -> {}).getPriority()).get())
                    .isEqualTo(Thread.NORM_PRIORITY);
        } finally {
            upstream.dispose();
        }
        Thread timer = raised.latencyCritical("payegress-budget").newThread(() -> {});
        assertThat(timer.getPriority()).isEqualTo(Thread.MAX_PRIORITY);
        assertThat(timer.getThreadGroup().getMaxPriority()).isEqualTo(Thread.NORM_PRIORITY);
    }

    @Test
    void aRaisedThreadMadeByAThreadOfTheDefaultCeilingRunsAtMaximumPriority() throws Exception {
        ThreadPriorities raised = new ThreadPriorities(Mode.RAISED);
        // a worker made by a raised thread (a Reactor worker started first from the budget's timer thread, say)
        Thread worker = raised.latencyCritical("payegress-budget").newThread(() -> {});
        assertThat(worker.getThreadGroup().getMaxPriority()).isEqualTo(Thread.NORM_PRIORITY);
        AtomicReference<Thread> made = new AtomicReference<>();
        Thread maker = new Thread(
                worker.getThreadGroup(),
                () -> made.set(raised.latencyCritical("payegress-critical").newThread(() -> {})));
        maker.start();
        maker.join();

        assertThat(made.get().getPriority()).isEqualTo(Thread.MAX_PRIORITY);
        assertThat(made.get().getThreadGroup().getMaxPriority()).isEqualTo(Thread.NORM_PRIORITY);
    }

    /** The Java priority of a one-thread loop's thread once it was given to {@code priorities} as the server's. */
    private static int serverLoopPriorityAfter(ThreadPriorities priorities) throws Exception {
        // at the default priority, as Reactor Netty's and Lettuce's loops are (Netty's own default is the maximum)
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("test-loop", false, Thread.NORM_PRIORITY), NioIoHandler.newFactory());
        try {
            priorities.bulk(loops);
            // tasks run in order on the loop's one thread: this one runs after the change
            return loops.submit(() -> Thread.currentThread().getPriority()).get();
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    private static void assertThread(ThreadFactory factory, String name, int priority) {
        Thread thread = factory.newThread(() -> {});
        assertThat(thread.getName()).isEqualTo(name);
        assertThat(thread.getPriority()).isEqualTo(priority);
        assertThat(thread.isDaemon()).isTrue();
    }
}
