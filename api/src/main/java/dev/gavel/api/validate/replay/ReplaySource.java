package dev.gavel.api.validate.replay;

import java.util.function.Consumer;

/**
 * Where logged evaluations come from: an evaluation log file or a server. {@link #forEach} streams raw items
 * newest first on one thread; {@link #decode} turns one into a {@link LoggedRequest} and runs on the replay's
 * worker threads, so parsing is spread over the cores.
 *
 * @param <T> the raw item: a log row, a line of the server's export
 */
public interface ReplaySource<T> extends AutoCloseable {
    /** For the report: the file or URL. */
    String describe();

    /** Streams the window's items, newest first, stopping at its limit. */
    void forEach(ReplayWindow window, Consumer<T> sink);

    /** The item as a request to replay; null when the source skips it (see {@link MergedSource}). */
    LoggedRequest decode(T item);

    @Override
    void close();

    /** The source could not be read: a missing file, a refused token, a server that is down. */
    final class SourceException extends RuntimeException {
        public SourceException(String message) {
            super(message);
        }

        public SourceException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
