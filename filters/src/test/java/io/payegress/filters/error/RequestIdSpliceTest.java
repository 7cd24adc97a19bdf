package io.payegress.filters.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RequestIdSpliceTest {

    private static final List<String> IDS = List.of(
            "a", "rid-7", "0b6f1c2e-5d4a-4f3e-9a8b-7c6d5e4f3a2b", "x".repeat(64), "store.12:till-3_x", "a\"b", "é");

    private static Function<String, byte[]> text(String format) {
        return id -> String.format(format, id).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void givesTheBytesTheRenderingGivesForEveryIdWhereverAndHoweverOftenTheTemplatePlacesIt() {
        Function<String, byte[]> render = text("{\"request_id\":\"%1$s\",\"note\":\"req %1$s!\",\"again\":[\"%1$s\"]}");
        RequestIdSplice splice = RequestIdSplice.of(render);

        for (String id : IDS) {
            assertThat(splice.body(id)).as(id).isEqualTo(render.apply(id));
        }
    }

    @Test
    void aBodyWithoutTheIdIsTheSameForEveryRequest() {
        Function<String, byte[]> render = id -> "{\"errcode\":429}".getBytes(StandardCharsets.UTF_8);
        RequestIdSplice splice = RequestIdSplice.of(render);

        assertThat(splice.body("rid-7")).isEqualTo(render.apply("rid-7"));
    }

    @Test
    void aTemplateThatDoesNotPlaceTheIdAsItIsIsRenderedWholeForEachRequest() {
        AtomicInteger renders = new AtomicInteger();
        Function<String, byte[]> render = id -> {
            renders.incrementAndGet();
            return ("{\"request_id\":\"" + id.toUpperCase(Locale.ROOT) + "\",\"length\":" + id.length() + "}")
                    .getBytes(StandardCharsets.UTF_8);
        };
        RequestIdSplice splice = RequestIdSplice.of(render);
        int prepared = renders.get();

        for (String id : IDS) {
            assertThat(splice.body(id)).as(id).isEqualTo(render.apply(id));
        }
        assertThat(renders.get() - prepared).isEqualTo(2 * IDS.size());
    }

    @Test
    void anIdJsonWouldEscapeIsRenderedWhole() {
        AtomicInteger renders = new AtomicInteger();
        Function<String, byte[]> render = id -> {
            renders.incrementAndGet();
            return ("{\"request_id\":\"" + id.replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8);
        };
        RequestIdSplice splice = RequestIdSplice.of(render);
        int prepared = renders.get();

        assertThat(splice.body("rid-7")).isEqualTo(render.apply("rid-7"));
        assertThat(renders.get() - prepared)
                .as("the sane id is put in, not rendered")
                .isEqualTo(1);
        assertThat(new String(splice.body("a\"b"), StandardCharsets.UTF_8)).isEqualTo("{\"request_id\":\"a\\\"b\"}");
    }
}
