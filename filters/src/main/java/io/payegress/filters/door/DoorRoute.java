package io.payegress.filters.door;

import org.springframework.http.HttpMethod;

/**
 * A route whose admission the door runs: the one method and literal path it is matched by, its id and URI (as the
 * gateway's request metrics tag them), and the budget its {@code BudgetAdmission} admits against.
 */
public record DoorRoute(HttpMethod method, String path, String id, String uri, String budget) {}
