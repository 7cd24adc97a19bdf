package io.payegress.gateway.logging;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class BatchedConsoleTest {

    /** Each write the console received, as text, and whether it was closed. */
    static final class Console extends OutputStream {
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
    void refusesANonPositiveIntervalOrCapacity() {
        assertThatIllegalArgumentException().isThrownBy(() -> BatchedConsole.start(console, 64, Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> BatchedConsole.start(console, 0, Duration.ofMillis(10)));
    }
}
