package io.payegress.filters.validation;

import io.payegress.filters.error.FieldError;

/** One thing wrong with a body: where (a JSON pointer), a sentence for the store developer, and its reason. */
record Problem(String pointer, String detail, RejectionReason reason) {

    FieldError toFieldError() {
        return new FieldError(pointer, detail);
    }
}
