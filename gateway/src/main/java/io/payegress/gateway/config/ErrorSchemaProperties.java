package io.payegress.gateway.config;

import io.payegress.filters.error.ErrorEnvelope;
import io.payegress.filters.error.GatewayCode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payegress.errors.*}: the merchant's error schema. Every part is optional; with nothing configured the
 * gateway answers RFC 9457 problem+json with the built-in coupons/use table and clerk sentences.
 *
 * @param envelope the body's shape: content type and JSON template
 * @param routes per route id, an error table replacing (or, with extend-defaults, preceding) the built-in one
 * @param gatewayCodes renames of the gateway's own codes (merchant code and HTTP status)
 * @param messages per merchant code, the clerk's sentence in English ({@code en}) and Simplified Chinese ({@code zh})
 */
@ConfigurationProperties("payegress.errors")
public record ErrorSchemaProperties(
        @DefaultValue Envelope envelope,
        @Nullable Map<String, RouteTable> routes,
        @Nullable Map<GatewayCode, CodeOverride> gatewayCodes,
        @Nullable Map<String, Message> messages) {

    public ErrorSchemaProperties {
        routes = routes == null ? Map.of() : routes;
        gatewayCodes = gatewayCodes == null ? Map.of() : gatewayCodes;
        messages = messages == null ? Map.of() : messages;
    }

    /**
     * The error body's shape.
     *
     * @param contentType the Content-Type of every error (a JSON media type)
     * @param template a JSON object whose string leaves {@code "${name}"} are replaced by typed values; absent: RFC
     *     9457 problem+json
     * @param absent what a {@code "${name}"} leaf whose value does not apply becomes: OMIT (left out) or NULL
     */
    public record Envelope(
            @DefaultValue(ErrorEnvelope.PROBLEM_JSON) String contentType,
            @Nullable Map<String, Object> template,
            @DefaultValue("OMIT") ErrorEnvelope.Absent absent) {}

    /**
     * One route's error table.
     *
     * @param rules the rows, first match wins; unmatched answers fall back by status class
     * @param extendDefaults whether the built-in coupons/use rows follow these rules
     */
    public record RouteTable(
            @Nullable List<Rule> rules,
            @DefaultValue("false") boolean extendDefaults) {
        public RouteTable {
            rules = rules == null ? List.of() : rules;
        }
    }

    /**
     * One row of a route's error table.
     *
     * @param upstreamStatus WeChat's HTTP status, 0 or absent for any
     * @param codes WeChat's codes, empty for any
     * @param messagePattern a regex WeChat's message must contain (find), for codes WeChat overloads
     * @param merchantCode the code the merchant sees
     * @param status the HTTP status the merchant sees
     * @param retryable whether the same request (same use_request_no) may be sent again
     * @param title a short English title (default: the merchant code)
     */
    public record Rule(
            @DefaultValue("0") int upstreamStatus,
            @Nullable List<String> codes,
            @Nullable String messagePattern,
            @Nullable String merchantCode,
            @DefaultValue("0") int status,
            @DefaultValue("false") boolean retryable,
            @Nullable String title) {
        public Rule {
            codes = codes == null ? List.of() : codes;
        }
    }

    /**
     * A rename of one gateway code.
     *
     * @param code the merchant code answered instead (default: the gateway's name)
     * @param status the HTTP status answered instead (default: the gateway's)
     */
    public record CodeOverride(
            @Nullable String code, @Nullable Integer status) {}

    /**
     * A clerk sentence; a missing language keeps the built-in sentence.
     *
     * @param en English
     * @param zh Simplified Chinese
     */
    public record Message(@Nullable String en, @Nullable String zh) {}
}
