package io.payegress.gateway.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.error.MerchantSchemaResponder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The merchant's error schema from {@code payegress.errors.*}: one responder for the error normalization stage, the
 * idempotency stage and unrouted requests, so every error leaves in the same shape. A schema that cannot work fails
 * the start, naming the property.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ErrorSchemaProperties.class)
public class ErrorSchemaConfiguration {

    @Bean
    MerchantErrorResponder merchantErrorResponder(
            ErrorSchemaProperties properties, JsonMapper json, MeterRegistry meters) {
        return new MerchantSchemaResponder(
                ErrorSchemas.mappers(properties),
                ErrorSchemas.envelope(properties),
                ErrorSchemas.messages(properties),
                json,
                meters);
    }
}
