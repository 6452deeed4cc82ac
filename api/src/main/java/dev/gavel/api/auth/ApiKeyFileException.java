package dev.gavel.api.auth;

/** The key file cannot be read, parsed or written; the message names the file and what is wrong. */
public final class ApiKeyFileException extends RuntimeException {
    public ApiKeyFileException(String message, Throwable cause) {
        super(message, cause);
    }

    public ApiKeyFileException(String message) {
        super(message);
    }
}
