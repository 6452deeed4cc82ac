package dev.gavel.store.git;

import java.util.Map;

/** A scope's direct files (repo-relative path to content) as of one of its versions. */
public record ScopeSnapshot(ScopeVersion version, Map<String, byte[]> files) {
    public ScopeSnapshot {
        files = Map.copyOf(files);
    }

    /**
     * The change that makes the scope's direct files (those of {@code filesAtHead} directly in
     * {@code scopeDirectory}) what they were at this version: a rollback is this change as a new commit. Empty
     * when they already are.
     */
    public ChangeSet restore(java.util.SortedMap<String, byte[]> filesAtHead, String scopeDirectory) {
        String dir = scopeDirectory + "/";
        ChangeSet.Builder b = ChangeSet.builder();
        filesAtHead.keySet().stream()
                .filter(p -> p.startsWith(dir) && p.indexOf('/', dir.length()) < 0 && !files.containsKey(p))
                .forEach(b::delete);
        files.forEach((p, bytes) -> {
            if (!java.util.Arrays.equals(filesAtHead.get(p), bytes)) {
                b.put(p, bytes);
            }
        });
        return b.build();
    }
}
