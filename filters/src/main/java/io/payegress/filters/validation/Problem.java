package io.payegress.filters.validation;

import io.payegress.filters.error.FieldError;

/** One thing wrong with a body: where (a JSON pointer), a sentence for the store developer, and its reason. */
record Problem(String pointer, String detail, RejectionReason reason) {

    /** The pointer to field {@code name} of the object at {@code parent}, escaped per RFC 6901. */
    static String child(String parent, String name) {
        if (name.indexOf('~') < 0 && name.indexOf('/') < 0) {
            return parent + "/" + name;
        }
        return parent + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    FieldError toFieldError() {
        return new FieldError(pointer, detail);
    }
}
