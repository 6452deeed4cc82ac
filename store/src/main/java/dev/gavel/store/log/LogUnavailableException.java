package dev.gavel.store.log;

/**
 * The log could not take a row: closed, or its queue stayed full for the whole bounded wait (the disk is
 * much slower than the load). The evaluation must then not be answered, so no answered decision is unlogged.
 */
public final class LogUnavailableException extends RuntimeException {
    public LogUnavailableException(String message) {
        super(message, null, false, false);
    }

    public LogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
