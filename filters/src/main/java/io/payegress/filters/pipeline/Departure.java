package io.payegress.filters.pipeline;

import reactor.core.publisher.Mono;

/**
 * The budget's word on when a request may leave, asked by the forward stage: a grant used later than its tolerance
 * could bunch calls into one sliding second at WeChat, and one used before its slot could too.
 */
public interface Departure {

    /** A request no budget governs: it may leave at any time. */
    Departure ANY_TIME = new Departure() {
        @Override
        public boolean fresh() {
            return true;
        }

        @Override
        public Mono<Boolean> ready() {
            return Mono.just(true);
        }
    };

    /** False when the grant already went stale: the request must not leave on it, and must ask again. */
    boolean fresh();

    /**
     * Emits once the request may leave, at once or when its slot comes if it is early, whether it still may: false
     * when its grant went stale meanwhile.
     */
    Mono<Boolean> ready();
}
