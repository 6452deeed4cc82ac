package dev.gavel.api.validate.replay;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Several sources replayed as one: each replica of a fleet keeps its own evaluation log, so a change is
 * judged on what every replica decided. The window applies to each source (its {@code since} and its
 * {@code limit}); the sources are read one after another, and an evaluation id met twice (the same log
 * given through two paths) is replayed once; {@link #decode} answers null for the second.
 */
public final class MergedSource implements ReplaySource<MergedSource.Tagged> {
    /** An item and the source it came from (which decodes it). */
    public record Tagged(int source, Object item) {}

    private final List<ReplaySource<?>> sources;
    private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public MergedSource(List<ReplaySource<?>> sources) {
        if (sources.size() < 2) {
            throw new IllegalArgumentException("merge at least two sources");
        }
        this.sources = List.copyOf(sources);
    }

    @Override
    public String describe() {
        return sources.stream().map(ReplaySource::describe).collect(Collectors.joining(", "));
    }

    @Override
    public void forEach(ReplayWindow window, Consumer<Tagged> sink) {
        for (int i = 0; i < sources.size(); i++) {
            int source = i;
            sources.get(i).forEach(window, item -> sink.accept(new Tagged(source, item)));
        }
    }

    /** The item's request, or null when another source already gave this evaluation (replayed once). */
    @Override
    public LoggedRequest decode(Tagged t) {
        LoggedRequest r = decodeFrom(sources.get(t.source()), t.item());
        return r != null && r.id() != null && !seen.add(r.id()) ? null : r;
    }

    @SuppressWarnings("unchecked")
    private static <T> LoggedRequest decodeFrom(ReplaySource<T> source, Object item) {
        return source.decode((T) item);
    }

    @Override
    public void close() {
        sources.forEach(ReplaySource::close);
    }
}
