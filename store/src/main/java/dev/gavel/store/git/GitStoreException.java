package dev.gavel.store.git;

/** A request the Git policy repository refuses; the message is meant for the user (no stack trace needed). */
public abstract sealed class GitStoreException extends RuntimeException
        permits ConflictException,
                FileTooLargeException,
                InvalidRepoPathException,
                RemoteUnavailableException,
                UnknownRevisionException {
    GitStoreException(String message) {
        super(message);
    }
}
