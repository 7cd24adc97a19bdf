package io.payegress.filters.door;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/**
 * A route whose admission the door runs: the one method and literal path it is matched by, its id and URI (as the
 * gateway's request metrics tag them), the budget its {@code BudgetAdmission} admits against, and the deadline of its
 * {@code SigningAdmission} (null: it has none).
 */
public record DoorRoute(
        HttpMethod method,
        String path,
        String id,
        String uri,
        String budget,
        @Nullable Duration signingDeadline) {}
