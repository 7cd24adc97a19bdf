package io.payegress.gateway.logging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payegress.logging.*}: how the console's lines are written.
 *
 * @param consoleFlushInterval the longest a console line is held before it is written, lines being gathered into one
 *     write of up to 64 KiB by a thread of their own; {@code 0} writes every line on its own as it is logged
 */
@ConfigurationProperties("payegress.logging")
public record LoggingProperties(@DefaultValue("100ms") Duration consoleFlushInterval) {

    public LoggingProperties {
        if (consoleFlushInterval.isNegative()) {
            throw new IllegalArgumentException("payegress.logging.console-flush-interval must not be negative");
        }
    }
}
