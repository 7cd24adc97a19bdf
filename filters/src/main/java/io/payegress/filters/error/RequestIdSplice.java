package io.payegress.filters.error;

import io.payegress.filters.context.RequestIds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One error body for many requests: rendered once with a marker in place of the request id, and completed for each
 * request by putting its id between the parts around the marker's places, without the JSON writer (which was a fifth
 * of the door's own work for a refusal, profiled at twice the limit: docs/benchmarks.md, session 41). Only an id that
 * JSON writes as it is ({@link RequestIds#sane}: what {@code RequestIds} takes or makes) is put in so; any other is
 * rendered whole. Checked once: a body spliced for a second marker of another length must equal its rendering, or
 * every body is rendered whole (a template that does not place the id as it is). Thread-safe.
 */
final class RequestIdSplice {

    private final Function<String, byte[]> render;

    /** The body's bytes between the id's places (one more than the places); null to render each body whole. */
    private final byte @Nullable [][] parts;

    private RequestIdSplice(Function<String, byte[]> render, byte @Nullable [][] parts) {
        this.render = render;
        this.parts = parts;
    }

    /** Prepares the bodies that {@code render} gives for a request id. */
    static RequestIdSplice of(Function<String, byte[]> render) {
        String marker = "payegress-" + UUID.randomUUID().toString().replace("-", "");
        byte[][] parts = split(render.apply(marker), marker.getBytes(StandardCharsets.US_ASCII));
        String check = UUID.randomUUID().toString();
        boolean verbatim = Arrays.equals(join(parts, check), render.apply(check));
        return new RequestIdSplice(render, verbatim ? parts : null);
    }

    /** The body for a request with this id. */
    byte[] body(String requestId) {
        return parts != null && RequestIds.sane(requestId) ? join(parts, requestId) : render.apply(requestId);
    }

    private static byte[][] split(byte[] body, byte[] marker) {
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int at = indexOf(body, marker, 0); at >= 0; at = indexOf(body, marker, from)) {
            parts.add(Arrays.copyOfRange(body, from, at));
            from = at + marker.length;
        }
        parts.add(Arrays.copyOfRange(body, from, body.length));
        return parts.toArray(byte[][]::new);
    }

    private static int indexOf(byte[] body, byte[] marker, int from) {
        outer:
        for (int i = from; i <= body.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (body[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] join(byte[][] parts, String requestId) {
        byte[] id = requestId.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length(parts) + (parts.length - 1) * id.length);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.writeBytes(id);
            }
            out.writeBytes(parts[i]);
        }
        return out.toByteArray();
    }

    private static int length(byte[][] parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        return length;
    }
}
