package io.payegress.gateway.config;

import io.payegress.filters.error.ClerkMessages;
import io.payegress.filters.error.DefaultErrorTable;
import io.payegress.filters.error.ErrorEnvelope;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayCodeOverride;
import io.payegress.filters.error.InvalidErrorSchemaException;
import io.payegress.filters.error.MappingRule;
import io.payegress.filters.error.MerchantErrorMapper;
import io.payegress.filters.error.RouteErrorMappers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.util.InvalidMimeTypeException;

/**
 * Turns {@code payegress.errors.*} into the error tables, envelope and clerk sentences, validating as it goes: a
 * bad status, regex, placeholder or content type fails the start with the offending property's name.
 */
final class ErrorSchemas {

    private static final String PREFIX = "payegress.errors";

    private ErrorSchemas() {}

    static RouteErrorMappers mappers(ErrorSchemaProperties properties) {
        Map<GatewayCode, GatewayCodeOverride> gatewayCodes = gatewayCodes(properties.gatewayCodes());
        Map<String, MerchantErrorMapper> byRoute = new LinkedHashMap<>();
        properties.routes().forEach((routeId, table) -> {
            List<MappingRule> rules = new ArrayList<>();
            for (int i = 0; i < table.rules().size(); i++) {
                String property = PREFIX + ".routes." + routeId + ".rules[" + i + "]";
                rules.add(rule(table.rules().get(i), property));
            }
            if (table.extendDefaults()) {
                rules.addAll(DefaultErrorTable.couponsUse());
            }
            byRoute.put(routeId, new MerchantErrorMapper(rules, gatewayCodes));
        });
        return new RouteErrorMappers(byRoute, new MerchantErrorMapper(DefaultErrorTable.couponsUse(), gatewayCodes));
    }

    static ErrorEnvelope envelope(ErrorSchemaProperties properties) {
        ErrorSchemaProperties.Envelope envelope = properties.envelope();
        checkJsonMediaType(envelope.contentType(), PREFIX + ".envelope.content-type");
        Object template = envelope.template() == null ? ErrorEnvelope.problemTemplate() : envelope.template();
        return ErrorEnvelope.of(envelope.contentType(), template, envelope.absent(), PREFIX + ".envelope.template");
    }

    static ClerkMessages messages(ErrorSchemaProperties properties) {
        Map<String, ClerkMessages.Sentence> sentences = new LinkedHashMap<>();
        properties.messages().forEach((code, message) -> {
            if (message.en() == null && message.zh() == null) {
                throw new InvalidErrorSchemaException(PREFIX + ".messages." + code, "give en, zh or both");
            }
            sentences.put(code, new ClerkMessages.Sentence(message.en(), message.zh()));
        });
        return ClerkMessages.defaults().with(sentences);
    }

    private static MappingRule rule(ErrorSchemaProperties.Rule rule, String property) {
        String merchantCode = rule.merchantCode();
        if (merchantCode == null || merchantCode.isBlank()) {
            throw new InvalidErrorSchemaException(property + ".merchant-code", "required");
        }
        if (rule.upstreamStatus() != 0 && (rule.upstreamStatus() < 100 || rule.upstreamStatus() > 599)) {
            throw new InvalidErrorSchemaException(
                    property + ".upstream-status", rule.upstreamStatus() + " is not 0 (any) or an HTTP status");
        }
        checkErrorStatus(rule.status(), property + ".status");
        String title = rule.title() == null || rule.title().isBlank() ? merchantCode : rule.title();
        return new MappingRule(
                rule.upstreamStatus(),
                new HashSet<>(rule.codes()),
                pattern(rule.messagePattern(), property + ".message-pattern"),
                merchantCode,
                rule.status(),
                rule.retryable(),
                title);
    }

    private static @Nullable Pattern pattern(@Nullable String regex, String property) {
        if (regex == null || regex.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidErrorSchemaException(property, "not a valid regular expression: " + e.getDescription());
        }
    }

    private static Map<GatewayCode, GatewayCodeOverride> gatewayCodes(
            Map<GatewayCode, ErrorSchemaProperties.CodeOverride> overrides) {
        Map<GatewayCode, GatewayCodeOverride> result = new LinkedHashMap<>();
        overrides.forEach((code, override) -> {
            String property = PREFIX + ".gateway-codes." + code.name();
            String merchantCode = override.code() == null ? code.name() : override.code();
            if (merchantCode.isBlank()) {
                throw new InvalidErrorSchemaException(property + ".code", "must not be blank");
            }
            int status = override.status() == null ? code.status() : override.status();
            checkErrorStatus(status, property + ".status");
            result.put(code, new GatewayCodeOverride(merchantCode, status));
        });
        return result;
    }

    private static void checkErrorStatus(int status, String property) {
        if (status < 400 || status > 599) {
            throw new InvalidErrorSchemaException(property, status + " is not an HTTP error status (400-599)");
        }
    }

    private static void checkJsonMediaType(String contentType, String property) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (!type.getSubtype().equals("json") && !type.getSubtype().endsWith("+json")) {
                throw new InvalidErrorSchemaException(property, contentType + " is not a JSON media type");
            }
        } catch (InvalidMimeTypeException e) {
            throw new InvalidErrorSchemaException(property, contentType + " is not a media type");
        }
    }
}
