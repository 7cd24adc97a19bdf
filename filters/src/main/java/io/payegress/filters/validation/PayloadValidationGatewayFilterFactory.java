package io.payegress.filters.validation;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code PayloadValidation} in route YAML: validates the body against the route's JSON Schema file and the tenant's
 * grants. Adding an upstream API takes a schema file and a route entry, no Java:
 * {@code - PayloadValidation=classpath:routes/busifavor-coupons-use.schema.json}, or in long form with
 * {@code allow-unknown-fields} (false), {@code max-depth} (16), {@code max-number-length} (32) and
 * {@code idempotency-key-field} ({@code use_request_no}; empty for a route without one).
 */
public final class PayloadValidationGatewayFilterFactory
        extends AbstractGatewayFilterFactory<PayloadValidationGatewayFilterFactory.Config> {

    private static final JsonMapper SCHEMA_READER = JsonMapper.builder().build();

    private final ResourceLoader resourceLoader;
    private final MeterRegistry registry;

    public PayloadValidationGatewayFilterFactory(ResourceLoader resourceLoader, MeterRegistry registry) {
        super(Config.class);
        this.resourceLoader = resourceLoader;
        this.registry = registry;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("schema");
    }

    @Override
    public GatewayFilter apply(Config config) {
        String location = config.getSchema();
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("PayloadValidation needs a schema location");
        }
        ValidationSettings settings = new ValidationSettings(
                config.isAllowUnknownFields(),
                config.getMaxDepth(),
                config.getMaxNumberLength(),
                Optional.ofNullable(config.getIdempotencyKeyField()));
        PayloadValidator validator = new PayloadValidator(readSchema(location), settings);
        return new PayloadValidationFilter(validator, registry, location + ", " + settings);
    }

    private JsonNode readSchema(String location) {
        Resource resource = resourceLoader.getResource(location);
        try (InputStream in = resource.getInputStream()) {
            return SCHEMA_READER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read route schema " + location, e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("route schema " + location + " is not valid JSON", e);
        }
    }

    /** The per-route binding bean; {@link #apply} turns it into an immutable {@link ValidationSettings}. */
    public static final class Config {
        private String schema = "";
        private boolean allowUnknownFields;
        private int maxDepth = ValidationSettings.DEFAULT_MAX_DEPTH;
        private int maxNumberLength = ValidationSettings.DEFAULT_MAX_NUMBER_LENGTH;
        private String idempotencyKeyField = ValidationSettings.DEFAULT_IDEMPOTENCY_KEY_FIELD;

        public String getSchema() {
            return schema;
        }

        public Config setSchema(String schema) {
            this.schema = schema;
            return this;
        }

        public boolean isAllowUnknownFields() {
            return allowUnknownFields;
        }

        public Config setAllowUnknownFields(boolean allowUnknownFields) {
            this.allowUnknownFields = allowUnknownFields;
            return this;
        }

        public int getMaxDepth() {
            return maxDepth;
        }

        public Config setMaxDepth(int maxDepth) {
            this.maxDepth = maxDepth;
            return this;
        }

        public int getMaxNumberLength() {
            return maxNumberLength;
        }

        public Config setMaxNumberLength(int maxNumberLength) {
            this.maxNumberLength = maxNumberLength;
            return this;
        }

        public String getIdempotencyKeyField() {
            return idempotencyKeyField;
        }

        public Config setIdempotencyKeyField(String idempotencyKeyField) {
            this.idempotencyKeyField = idempotencyKeyField;
            return this;
        }
    }
}
