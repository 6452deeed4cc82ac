package dev.gavel.store.git;

/** A ref, commit id or scope version that does not exist (HTTP 404). */
public final class UnknownRevisionException extends GitStoreException {
    UnknownRevisionException(String message) {
        super(message);
    }
}
