package io.payegress.filters.validation;

import io.payegress.filters.tenant.CodeMode;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Shared test data: the seed example, the route schemas as shipped in the gateway, and tenants. */
public final class Fixtures {

    /** The SPEC's seed example, verbatim. */
    public static final String SEED = "{\"coupon_code\":\"sxxe34343434\",\"stock_id\":\"100088\","
            + "\"appid\":\"wx1234567889999\",\"use_time\":\"2015-05-20T13:29:35+08:00\","
            + "\"use_request_no\":\"1002600620019090123143254435\",\"openid\":\"xsd3434454567676\"}";

    public static final String RETURN_EXAMPLE =
            "{\"coupon_code\":\"sxxe34343434\",\"stock_id\":\"100088\",\"return_request_no\":\"R20150520001\"}";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Fixtures() {}

    /** A route schema from the gateway's resources (the file the gateway ships), parsed. */
    public static JsonNode schema(String fileName) {
        try {
            return MAPPER.readTree(Files.readAllBytes(routes().resolve(fileName)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gateway's route schemas, found from a module directory (Maven) or from the repository root (JMH). */
    private static Path routes() {
        return Stream.of("../gateway", "gateway")
                .map(module -> Path.of(module, "src", "main", "resources", "routes"))
                .filter(Files::isDirectory)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("run from the repository root or a module directory"));
    }

    public static JsonNode couponsUseSchema() {
        return schema("busifavor-coupons-use.schema.json");
    }

    public static JsonNode couponsReturnSchema() {
        return schema("busifavor-coupons-return.schema.json");
    }

    /** store-001: the seed's appid, stock 100088 (MERCHANT_API) and 200099 (WECHATPAY_MODE). */
    public static Tenant store001() {
        return tenant("store-001", Map.of("100088", CodeMode.MERCHANT_API, "200099", CodeMode.WECHATPAY_MODE));
    }

    /** A tenant with the seed's appid whose stocks are given. */
    public static Tenant tenant(String id, Map<String, CodeMode> stocks) {
        return new Tenant(
                new TenantId(id),
                List.of(new byte[32]),
                Set.of("wx1234567889999"),
                stocks,
                1,
                OptionalInt.empty(),
                false);
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
