package io.payegress.simulator.fault;

/**
 * When a fault strikes: BEFORE the coupon state changes (nothing happened), or AFTER the redemption was applied, so
 * the caller sees a failure although the coupon is USED: the "outcome unknown" case a gateway must handle.
 */
public enum FaultPhase {
    BEFORE,
    AFTER
}
