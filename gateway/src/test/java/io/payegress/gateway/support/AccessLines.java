package io.payegress.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The access log's lines as they are written (on the server's threads, after the answer has gone). */
public final class AccessLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("payegress.access");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public AccessLines() {
        start();
        logger.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(event.getFormattedMessage());
    }

    /** The one line of this answer's request (by its X-Request-Id), once it has been written. */
    public String lineOf(WebTestClient.ResponseSpec answer) {
        return lineOf(answer.returnResult(byte[].class).getResponseHeaders().getFirst("X-Request-Id"));
    }

    /** The one line of the request with this id, once it has been written. */
    public String lineOf(String requestId) {
        String fragment = "request_id=" + requestId + " ";
        List<String> found = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            found.clear();
            lines.stream().filter(line -> line.contains(fragment)).forEach(found::add);
            assertThat(found).hasSize(1);
        });
        return found.get(0);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
