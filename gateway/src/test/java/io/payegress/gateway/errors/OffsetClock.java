package io.payegress.gateway.errors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock moved by an offset a test sets: the simulator's clock, to make WeChat see a skewed timestamp. */
final class OffsetClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    void offset(Duration value) {
        this.offset = value;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
