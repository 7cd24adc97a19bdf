package io.payegress.gateway.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The console's bytes gathered into one {@code write} per buffer or per flush interval, whichever comes first, as
 * nginx's {@code access_log ... buffer= flush=} and Envoy's access-log flush interval do. Logback's console appender
 * otherwise writes every line with its own system call ({@code System.out} flushes on every write), on the thread that
 * logged it: at five times the limit that is hundreds of access lines a second on each event loop.
 *
 * <p>Whole lines only: Logback hands over one line per {@link #write(byte[], int, int)}, and the buffer is emptied
 * before a line that would not fit, so no line is split between two writes. A line longer than the buffer goes out on
 * its own. Closing writes what is held (Logback closes its appenders when the JVM shuts down); a process killed
 * outright loses at most one flush interval of lines.
 */
final class BatchedConsole extends OutputStream {

    private final OutputStream target;
    private final byte[] held;
    private int size;
    private final ScheduledExecutorService flusher;

    private BatchedConsole(OutputStream target, int capacity, Duration interval) {
        this.target = target;
        this.held = new byte[capacity];
        this.flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "payegress-console-flush");
            thread.setDaemon(true);
            return thread;
        });
        long every = interval.toNanos();
        flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.NANOSECONDS);
    }

    /** Gathers writes to {@code target} into {@code capacity} bytes, written out at least every {@code interval}. */
    static BatchedConsole start(OutputStream target, int capacity, Duration interval) {
        if (capacity <= 0 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("capacity and interval must be positive");
        }
        return new BatchedConsole(target, capacity, interval);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > held.length - size) {
            drain();
        }
        if (length > held.length) {
            target.write(bytes, offset, length);
            return;
        }
        System.arraycopy(bytes, offset, held, size, length);
        size += length;
    }

    /** Writes out what is held. */
    @Override
    public synchronized void flush() throws IOException {
        drain();
        target.flush();
    }

    /** Writes out what is held and stops the timed flush; the console itself stays open. */
    @Override
    public void close() throws IOException {
        flusher.shutdownNow();
        flush();
    }

    /** Bytes held, not yet written. */
    synchronized int held() {
        return size;
    }

    private void drain() throws IOException {
        if (size > 0) {
            int length = size;
            size = 0;
            target.write(held, 0, length);
        }
    }

    private void flushQuietly() {
        try {
            synchronized (this) {
                if (size > 0) {
                    flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the console is gone (its pipe closed); Logback reports its own write failures, so nothing is said here
        }
    }
}
