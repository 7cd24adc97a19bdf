package io.payegress.gateway.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.time.Duration;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Puts Spring Boot's console appender (plain or structured lines alike) onto a {@link BatchedConsole}, once per JVM:
 * the console belongs to Logback, which outlives any one application context and closes it when the JVM stops.
 */
final class ConsoleBatching {

    /**
     * Each of the two buffers: about 250 access lines, a third of a second of a replica's lines at five times the
     * limit, so that a writer preempted for that long does not yet hold up the threads that log.
     */
    static final int CAPACITY = 64 * 1024;

    private ConsoleBatching() {}

    /** The console appenders newly batched: 0 when they already were or when Logback is not the logging system. */
    static int install(Duration interval) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return 0;
        }
        int batched = 0;
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
            if (appenders.next() instanceof ConsoleAppender<ILoggingEvent> console
                    && console.isStarted()
                    && !(console.getOutputStream() instanceof BatchedConsole)) {
                console.setImmediateFlush(false);
                console.setOutputStream(BatchedConsole.start(console.getOutputStream(), CAPACITY, interval));
                batched++;
            }
        }
        return batched;
    }
}
