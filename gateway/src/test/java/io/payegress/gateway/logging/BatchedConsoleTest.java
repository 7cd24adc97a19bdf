package io.payegress.gateway.logging;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class BatchedConsoleTest {

    /** Each write the console received, as text, and whether it was closed. */
    static class Console extends OutputStream {
        final List<String> writes = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writes.add(new String(bytes, offset, length, US_ASCII));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final Console console = new Console();

    private static void line(OutputStream out, String text) throws Exception {
        out.write(text.getBytes(US_ASCII));
    }

    @Test
    void linesAreHeldAndWrittenTogetherOnFlush() throws Exception {
        try (BatchedConsole batched = BatchedConsole.start(console, 64, Duration.ofHours(1))) {
            line(batched, "one\n");
            line(batched, "two\n");
            assertThat(console.writes).isEmpty();
            assertThat(batched.held()).isEqualTo(8);

            batched.flush();

            assertThat(console.writes).containsExactly("one\ntwo\n");
            assertThat(batched.held()).isZero();
        }
    }

    @Test
    void aLineThatDoesNotFitSendsTheHeldLinesFirstAndIsNeverSplit() throws Exception {
        try (BatchedConsole batched = BatchedConsole.start(console, 16, Duration.ofHours(1))) {
            line(batched, "0123456789\n");
            line(batched, "abcdefghij\n");

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !console.writes.isEmpty());
            assertThat(console.writes).containsExactly("0123456789\n");
            assertThat(batched.held()).isEqualTo(11);
        }
    }

    @Test
    void aLineLongerThanTheBufferGoesOutOnItsOwnAfterTheHeldOnes() throws Exception {
        try (BatchedConsole batched = BatchedConsole.start(console, 16, Duration.ofHours(1))) {
            line(batched, "short\n");
            line(batched, "a line of more than sixteen bytes\n");

            assertThat(console.writes).containsExactly("short\n", "a line of more than sixteen bytes\n");
            assertThat(batched.held()).isZero();
        }
    }

    @Test
    void closingWritesWhatIsHeldAndLeavesTheConsoleOpen() throws Exception {
        BatchedConsole batched = BatchedConsole.start(console, 64, Duration.ofHours(1));
        line(batched, "last words\n");

        batched.close();

        assertThat(console.writes).containsExactly("last words\n");
        assertThat(console.closed).isFalse();
    }

    @Test
    void heldLinesAreWrittenWithinTheIntervalWithoutAnotherLine() throws Exception {
        try (BatchedConsole batched = BatchedConsole.start(console, 8192, Duration.ofMillis(10))) {
            line(batched, "alone\n");

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !console.writes.isEmpty());
            assertThat(console.writes).containsExactly("alone\n");
        }
    }

    @Test
    void aThreadThatLogsWaitsOnlyWhenBothBuffersAreFullAndNothingIsLostOrReordered() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        Console slow = new Console() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.write(bytes, offset, length);
            }
        };
        try (BatchedConsole batched = BatchedConsole.start(slow, 8, Duration.ofHours(1))) {
            line(batched, "first\n");
            line(batched, "second\n"); // the first buffer goes to the writer, which is held in its write
            Thread third = new Thread(() -> {
                try {
                    line(batched, "third\n"); // both buffers are full: this one waits
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            third.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> third.getState() == Thread.State.WAITING);
            assertThat(slow.writes).isEmpty();

            released.countDown();
            third.join(10_000);
            batched.flush();

            assertThat(slow.writes).containsExactly("first\n", "second\n", "third\n");
        }
    }

    @Test
    void linesFromManyThreadsArriveWholeAndOnce() throws Exception {
        int threads = 4;
        int lines = 2_000;
        try (BatchedConsole batched = BatchedConsole.start(console, 1024, Duration.ofMillis(1))) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < lines; i++) {
                            line(batched, "line " + id + " " + i + "\n");
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            writers.forEach(Thread::start);
            for (Thread writer : writers) {
                writer.join(30_000);
            }
            batched.flush();
        }

        String all = String.join("", console.writes);
        assertThat(console.writes).allSatisfy(write -> assertThat(write).endsWith("\n"));
        List<String> written = List.of(all.split("\n"));
        assertThat(written).hasSize(threads * lines).doesNotHaveDuplicates();
        for (int t = 0; t < threads; t++) {
            String prefix = "line " + t + " ";
            List<String> own =
                    written.stream().filter(l -> l.startsWith(prefix)).toList();
            assertThat(own).hasSize(lines);
            for (int i = 0; i < lines; i++) {
                assertThat(own.get(i)).isEqualTo(prefix + i);
            }
        }
    }

    @Test
    void refusesANonPositiveIntervalOrCapacity() {
        assertThatIllegalArgumentException().isThrownBy(() -> BatchedConsole.start(console, 64, Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> BatchedConsole.start(console, 0, Duration.ofMillis(10)));
    }
}
