package io.payegress.gateway.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The console's bytes gathered into one {@code write} per buffer or per flush interval, whichever comes first, as
 * nginx's {@code access_log ... buffer= flush=} and Envoy's access-log flush interval do. Logback's console appender
 * otherwise writes every line with its own system call ({@code System.out} flushes on every write), on the thread that
 * logged it: at five times the limit that is hundreds of access lines a second on each event loop.
 *
 * <p>A thread that logs only copies its line into the filling buffer; a writer thread of its own takes full buffers,
 * and every interval whatever is held, and writes them out while the next buffer fills. So no thread that logs waits for
 * a system call, or for a writer that the operating system has preempted in the middle of one (most access lines are
 * written on the Redis client's event loop, which the budget's calls need). Only when both buffers are full does a
 * logging thread wait for the writer: the console cannot take the lines as fast as they come.
 *
 * <p>Whole lines, in order: Logback hands over one line per {@link #write(byte[], int, int)}, and the filling buffer is
 * handed over before a line that would not fit, so no line is split between two writes. A line longer than a buffer
 * is written on its own, in its place. {@link #close()} writes what is held (Logback closes its appenders when the JVM
 * shuts down); a process killed outright loses at most one interval of lines.
 */
final class BatchedConsole extends OutputStream {

    private final OutputStream target;
    private final long intervalNanos;
    private byte[] filling;
    private int size;
    /** The other buffer while the writer does not hold it; {@code null} while a batch is handed over or written. */
    private byte[] spare;
    /** A full buffer handed to the writer and not yet taken by it, and how much of it is filled. */
    private byte[] batch;

    private int batchSize;
    /** When the first byte now held was written. */
    private long heldSince;

    private boolean closed;
    private final Thread writer;

    private BatchedConsole(OutputStream target, int capacity, Duration interval) {
        this.target = target;
        this.intervalNanos = interval.toNanos();
        this.filling = new byte[capacity];
        this.spare = new byte[capacity];
        this.writer = new Thread(this::writeBatches, "payegress-console");
        writer.setDaemon(true);
    }

    /** Gathers writes to {@code target} into buffers of {@code capacity} bytes, written out at least every interval. */
    static BatchedConsole start(OutputStream target, int capacity, Duration interval) {
        if (capacity <= 0 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("capacity and interval must be positive");
        }
        BatchedConsole console = new BatchedConsole(target, capacity, interval);
        console.writer.start();
        return console;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            target.write(bytes, offset, length);
            return;
        }
        if (length > filling.length - size) {
            handOver();
        }
        if (length > filling.length) {
            awaitWritten();
            target.write(bytes, offset, length);
            return;
        }
        if (size == 0) {
            heldSince = System.nanoTime();
        }
        System.arraycopy(bytes, offset, filling, size, length);
        size += length;
    }

    /** Writes out what is held, and returns once it is written. */
    @Override
    public synchronized void flush() throws IOException {
        handOver();
        awaitWritten();
        target.flush();
    }

    /** Writes out what is held and stops the writer; the console itself stays open. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            flush();
            closed = true;
            notifyAll();
        }
    }

    /** Bytes held and not yet handed to the writer. */
    synchronized int held() {
        return size;
    }

    /** Hands the filling buffer to the writer, once it has written the last one, and fills the other. */
    private void handOver() {
        awaitWritten();
        if (size > 0) { // the writer may have taken what was held while this thread waited
            swap();
            notifyAll();
        }
    }

    /** The filling buffer becomes the writer's batch, and the spare one fills. Only while {@code spare} is there. */
    private void swap() {
        batch = filling;
        batchSize = size;
        filling = spare;
        spare = null;
        size = 0;
    }

    /**
     * Returns once everything handed over has been written: the writer has given its buffer back. Not cut short by an
     * interrupt, which is kept for the caller: Logback stops an appender for good on a failed write, so an interrupted
     * thread that logs must not fail it.
     */
    private void awaitWritten() {
        boolean interrupted = false;
        while (spare == null) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The writer: takes each batch handed over, and hands itself what has been held for an interval; writes outside
     * the lock. Between batches it holds no buffer, so {@code spare} is there whenever no batch is.
     */
    private void writeBatches() {
        while (true) {
            byte[] taken;
            int length;
            synchronized (this) {
                while (batch == null && !closed) {
                    long due = size == 0 ? intervalNanos : heldSince + intervalNanos - System.nanoTime();
                    if (due <= 0) {
                        swap();
                    } else {
                        waitQuietly(due);
                    }
                }
                if (batch == null) {
                    return;
                }
                taken = batch;
                length = batchSize;
                batch = null;
            }
            try {
                target.write(taken, 0, length);
                target.flush();
            } catch (IOException | RuntimeException e) {
                // the console is gone (its pipe closed): nothing can be said anywhere, and the lines are dropped
            }
            synchronized (this) {
                spare = taken;
                notifyAll();
            }
        }
    }

    private void waitQuietly(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        } catch (InterruptedException e) {
            // nothing interrupts the writer; a stray interrupt only wakes it early
        }
    }
}
