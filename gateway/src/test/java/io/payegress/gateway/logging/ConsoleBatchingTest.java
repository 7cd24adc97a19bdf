package io.payegress.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConsoleBatchingTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();

    @AfterEach
    void detach() {
        root.detachAppender(console);
        console.stop();
    }

    @Test
    void theRootLoggersConsoleIsBatchedOnceAndWritesNoLongerFlushEachLine() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%m%n");
        encoder.start();
        console.setContext(context);
        console.setName("TEST-CONSOLE");
        console.setEncoder(encoder);
        console.start();
        root.addAppender(console);

        assertThat(ConsoleBatching.install(Duration.ofMillis(100))).isPositive();

        assertThat(console.getOutputStream()).isInstanceOf(BatchedConsole.class);
        assertThat(console.isImmediateFlush()).isFalse();
        assertThat(ConsoleBatching.install(Duration.ofMillis(100))).isZero();
    }
}
