package dev.gavel.store.git;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Files to write and files to delete in one commit. Paths are repo-relative ({@code policies/acme/x.yaml});
 * they are validated by {@link GitPolicyRepository#commit} before anything is written. Deleting a file that does
 * not exist is a no-op.
 */
public record ChangeSet(Map<String, byte[]> puts, Set<String> deletes) {
    public ChangeSet {
        puts = Collections.unmodifiableMap(new TreeMap<>(puts));
        deletes = Collections.unmodifiableSet(new TreeSet<>(deletes));
        for (String p : deletes) {
            if (puts.containsKey(p)) {
                throw new IllegalArgumentException("change set both writes and deletes " + p);
            }
        }
    }

    public static ChangeSet put(String path, byte[] content) {
        return new ChangeSet(Map.of(path, content), Set.of());
    }

    public static ChangeSet delete(String path) {
        return new ChangeSet(Map.of(), Set.of(path));
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return puts.isEmpty() && deletes.isEmpty();
    }

    /** Every path this change set touches. */
    public Set<String> paths() {
        Set<String> all = new TreeSet<>(puts.keySet());
        all.addAll(deletes);
        return all;
    }

    /** Collects puts and deletes; a later call for the same path replaces an earlier one. */
    public static final class Builder {
        private final Map<String, byte[]> puts = new LinkedHashMap<>();
        private final Set<String> deletes = new LinkedHashSet<>();

        private Builder() {}

        public Builder put(String path, byte[] content) {
            deletes.remove(path);
            puts.put(path, content.clone());
            return this;
        }

        public Builder delete(String path) {
            puts.remove(path);
            deletes.add(path);
            return this;
        }

        public ChangeSet build() {
            return new ChangeSet(puts, deletes);
        }
    }
}
