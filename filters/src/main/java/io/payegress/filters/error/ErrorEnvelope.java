package io.payegress.filters.error;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shape of every error body: a content type and a JSON template whose {@code ${name}} leaves are filled with
 * typed values ({@link ErrorPlaceholders}). The default is RFC 9457 problem+json; a merchant configures another
 * shape (e.g. a legacy {@code {"errcode", "errmsg", "retry"}}) without a rebuild. Rendering is deterministic: the
 * same error gives the same bytes, as the idempotency stage's stored answers require.
 */
public final class ErrorEnvelope {

    /** What a leaf that is exactly one placeholder becomes when its value is absent. */
    public enum Absent {
        /** The member (or array element) is left out. */
        OMIT,
        /** The member is written as JSON null. */
        NULL
    }

    public static final String PROBLEM_JSON = "application/problem+json";

    private final String contentType;
    private final EnvelopeTemplate template;
    private final Absent absent;

    private ErrorEnvelope(String contentType, EnvelopeTemplate template, Absent absent) {
        this.contentType = contentType;
        this.template = template;
        this.absent = absent;
    }

    /** RFC 9457: type, title (the clerk's sentence), status, detail, code, retryable, request_id, errors, upstream. */
    public static ErrorEnvelope problemJson() {
        return of(PROBLEM_JSON, problemTemplate(), Absent.OMIT, "template");
    }

    /** The template of the RFC 9457 default, for a merchant who keeps its shape under another content type. */
    public static Map<String, Object> problemTemplate() {
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("type", "${type}");
        template.put("title", "${message}");
        template.put("status", "${status}");
        template.put("detail", "${detail}");
        template.put("code", "${code}");
        template.put("retryable", "${retryable}");
        template.put("request_id", "${request_id}");
        template.put("errors", "${errors}");
        template.put("upstream", "${upstream}");
        return template;
    }

    /**
     * A configured envelope; {@code property} names the template's configuration property in error messages.
     *
     * @throws InvalidErrorSchemaException for an unknown placeholder or a template that is not a JSON object
     */
    public static ErrorEnvelope of(String contentType, Object template, Absent absent, String property) {
        if (!(template instanceof Map<?, ?>) || ((Map<?, ?>) template).isEmpty()) {
            throw new InvalidErrorSchemaException(property, "the template must be a non-empty JSON object");
        }
        return new ErrorEnvelope(contentType, EnvelopeTemplate.compile(template, property), absent);
    }

    public String contentType() {
        return contentType;
    }

    /** The error body's bytes (UTF-8 JSON). */
    public byte[] render(Map<String, Object> values, JsonMapper json) {
        @Nullable Object body = template.fill(values, absent);
        return json.writeValueAsBytes(body);
    }
}
