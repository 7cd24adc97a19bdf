package io.payegress.gateway.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Gathers the console's lines into few writes ({@link BatchedConsole}) unless the flush interval is 0. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoggingProperties.class)
public class LoggingConfiguration implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(LoggingConfiguration.class);

    private final LoggingProperties settings;

    LoggingConfiguration(LoggingProperties settings) {
        this.settings = settings;
    }

    @Override
    public void afterPropertiesSet() {
        if (!settings.consoleFlushInterval().isZero() && ConsoleBatching.install(settings.consoleFlushInterval()) > 0) {
            log.info(
                    "console lines are written at least every {} ms, gathered",
                    settings.consoleFlushInterval().toMillis());
        }
    }
}
