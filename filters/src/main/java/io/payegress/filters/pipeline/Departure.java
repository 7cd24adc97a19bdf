package io.payegress.filters.pipeline;

/**
 * The budget's word on whether a request may still leave, asked by the forward stage the moment the request departs:
 * a grant used later than its tolerance could bunch calls into one sliding second at WeChat.
 */
@FunctionalInterface
public interface Departure {

    /** True when the request may leave now; false when its budget grant went stale and it must ask again. */
    boolean mayLeaveNow();
}
