package io.payegress.gateway.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.gateway.config.ErrorSchemaProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/** How Spring binds a YAML error schema: nesting, typed constants, lists, upper-case code keys. */
class ErrorSchemaBindingTest {

    static final String LEGACY_YAML = """
            payegress:
              errors:
                envelope:
                  content-type: application/json
                  template:
                    errcode: "${code}"
                    errmsg: "${message}"
                    retry: "${retryable}"
                    data:
                      request_id: "${request_id}"
                      upstream_code: "${upstream.code}"
                      fields: ["${errors}"]
                    version: 2
                    legacy: true
                messages:
                  COUPON_ALREADY_USED:
                    en: "Coupon was redeemed before."
                gateway-codes:
                  RATE_LIMITED:
                    code: TOO_BUSY
                routes:
                  busifavor-coupons-use:
                    rules:
                      - upstream-status: 400
                        codes: [RESOURCE_ALREADY_EXISTS]
                        merchant-code: USED
                        status: 409
            """;

    static ErrorSchemaProperties bind(String yaml) throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader()
                .load("test", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
        return new Binder(ConfigurationPropertySources.from(sources))
                .bindOrCreate("payegress.errors", ErrorSchemaProperties.class);
    }

    @Test
    void bindsANestedTemplateKeepingYamlTypesAndOrder() throws IOException {
        ErrorSchemaProperties properties = bind(LEGACY_YAML);

        Map<String, Object> template = properties.envelope().template();
        assertThat(template).isNotNull();
        assertThat(template.keySet()).containsExactly("errcode", "errmsg", "retry", "data", "version", "legacy");
        assertThat(template.get("version")).isEqualTo(2);
        assertThat(template.get("legacy")).isEqualTo(true);
        assertThat(template.get("data")).isInstanceOf(Map.class);
        assertThat(properties.messages()).containsKey("COUPON_ALREADY_USED");
        assertThat(properties.routes().get("busifavor-coupons-use").rules())
                .singleElement()
                .satisfies(rule -> assertThat(rule.codes()).containsExactly("RESOURCE_ALREADY_EXISTS"));
    }
}
