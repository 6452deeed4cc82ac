package dev.gavel.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A scope: the global scope (no segments) or a dotted path of names, outermost first,
 * e.g. {@code acme.chat.support-bot.prod}. Every segment is a valid {@link Names name}.
 */
public record ScopePath(List<String> segments) {
    public static final ScopePath GLOBAL = new ScopePath(List.of());
    /** How the global scope is written in a URL path segment. */
    public static final String URL_GLOBAL = "_";

    public ScopePath {
        segments = List.copyOf(segments);
        for (String s : segments) {
            Names.requireValid("scope segment", s);
        }
    }

    /**
     * Parses a dotted scope; {@code ""} is the global scope.
     *
     * @throws IllegalArgumentException naming the bad segment
     */
    public static ScopePath parse(String dotted) {
        if (dotted == null) {
            throw new IllegalArgumentException("scope must not be null");
        }
        if (dotted.isEmpty()) {
            return GLOBAL;
        }
        return new ScopePath(List.of(dotted.split("\\.", -1)));
    }

    /** Parses a scope as written in a URL: {@code _} is the global scope. */
    public static ScopePath fromUrl(String segment) {
        return URL_GLOBAL.equals(segment) ? GLOBAL : parse(segment);
    }

    public static ScopePath of(String... segments) {
        return new ScopePath(List.of(segments));
    }

    public boolean isGlobal() {
        return segments.isEmpty();
    }

    public int depth() {
        return segments.size();
    }

    /** The scope as written: {@code acme.chat}, or {@code ""} for global. */
    public String dotted() {
        return String.join(".", segments);
    }

    /** The scope as written in a URL: {@link #dotted()} or {@code _} for global. */
    public String url() {
        return isGlobal() ? URL_GLOBAL : dotted();
    }

    /** The repository directory of the scope: {@code policies} or {@code policies/acme/chat}. */
    public String directory() {
        return isGlobal() ? "policies" : "policies/" + String.join("/", segments);
    }

    /** The enclosing scope; empty for the global scope. */
    public Optional<ScopePath> parent() {
        return isGlobal() ? Optional.empty() : Optional.of(new ScopePath(segments.subList(0, segments.size() - 1)));
    }

    /** The enclosing scopes, global first, not including this one. */
    public List<ScopePath> ancestors() {
        List<ScopePath> out = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            out.add(new ScopePath(segments.subList(0, i)));
        }
        return List.copyOf(out);
    }

    /** The enclosing scopes and this one, global first: the order resolution applies layers in. */
    public List<ScopePath> lineage() {
        List<ScopePath> out = new ArrayList<>(ancestors());
        out.add(this);
        return List.copyOf(out);
    }

    public ScopePath child(String segment) {
        List<String> s = new ArrayList<>(segments);
        s.add(segment);
        return new ScopePath(s);
    }

    /** True when this scope is {@code other} or lies inside it. */
    public boolean isWithin(ScopePath other) {
        return segments.size() >= other.segments.size()
                && segments.subList(0, other.segments.size()).equals(other.segments);
    }

    @Override
    public String toString() {
        return isGlobal() ? "(global)" : dotted();
    }
}
