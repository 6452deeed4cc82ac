package dev.gavel.api.validate.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.http.Json;
import dev.gavel.store.log.EvaluationFilter;
import dev.gavel.store.log.EvaluationLog;
import dev.gavel.store.log.EvaluationPage;
import dev.gavel.store.log.EvaluationRecord;
import dev.gavel.store.log.LogUnavailableException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Logged evaluations read from an evaluation log file (SQLite), opened read-only: a running server's log can be
 * replayed in place (WAL readers never block its writer), or a copy of it.
 */
public final class LogFileSource implements ReplaySource<EvaluationRecord> {
    /** Rows per keyset page: each page is its own short read transaction. */
    static final int PAGE = 1_000;

    private final Path file;
    private final EvaluationLog log;

    public LogFileSource(Path file) {
        this.file = file;
        try {
            this.log = EvaluationLog.openReadOnly(file);
        } catch (LogUnavailableException e) {
            throw new SourceException(e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public void forEach(ReplayWindow window, Consumer<EvaluationRecord> sink) {
        EvaluationFilter filter =
                window.since().map(EvaluationFilter.ALL::withSince).orElse(EvaluationFilter.ALL);
        Optional<String> cursor = Optional.empty();
        long left = window.limit();
        try {
            while (left > 0) {
                EvaluationPage page = log.list(filter, cursor, (int) Math.min(PAGE, left));
                page.evaluations().forEach(sink);
                left -= page.evaluations().size();
                if (page.nextCursor().isEmpty()) {
                    return;
                }
                cursor = page.nextCursor();
            }
        } catch (LogUnavailableException e) {
            throw new SourceException("reading " + file + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public LoggedRequest decode(EvaluationRecord r) {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(r.requestJson());
        } catch (JsonProcessingException e) {
            request = null; // not JSON: counted as unreadable by the replay
        }
        return new LoggedRequest(r.id(), r.time(), r.scope(), r.decision(), r.matches(), request);
    }

    @Override
    public void close() {
        log.close();
    }
}
