package io.payegress.filters.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeyAuthenticatorTest {

    private static Tenant tenant(String id, String... keys) {
        List<byte[]> hashes =
                java.util.Arrays.stream(keys).map(ApiKeyAuthenticator::sha256).toList();
        return new Tenant(new TenantId(id), hashes, Set.of(), Map.of(), 1, OptionalInt.empty(), false);
    }

    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(
            List.of(tenant("store-001", "old-key", "new-key"), tenant("store-002", "other-key")));

    @ParameterizedTest
    @CsvSource({
        "old-key, store-001",
        "new-key, store-001",
        "other-key, store-002",
        "unknown, ",
        "'new-key ', ",
        "NEW-KEY, "
    })
    void findsTheTenantOwningAnyOfItsRotatedKeys(String presented, String expectedTenant) {
        assertThat(authenticator
                        .authenticate(presented)
                        .map(t -> t.id().value())
                        .orElse(null))
                .isEqualTo(expectedTenant);
    }
}
