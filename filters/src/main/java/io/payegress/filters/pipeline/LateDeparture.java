package io.payegress.filters.pipeline;

import java.io.Serial;

/**
 * Signals that the forward stage held a request back because its budget grant went stale before it could leave
 * (signing or a starved thread took too long). Nothing was sent; the budget stage catches it and asks again.
 */
public final class LateDeparture extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public LateDeparture() {
        super("the budget grant went stale before the request left; nothing was sent", null, false, false);
    }
}
