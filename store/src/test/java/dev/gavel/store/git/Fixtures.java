package dev.gavel.store.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Small builders shared by the tests. */
final class Fixtures {
    static final Author ALICE = new Author("Alice", "alice@example.com");
    static final Author BOB = new Author("Bob", "bob@example.com");

    private Fixtures() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** path, content, path, content, ... */
    static Map<String, byte[]> files(String... pathsAndContents) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            m.put(pathsAndContents[i], bytes(pathsAndContents[i + 1]));
        }
        return m;
    }

    /** A bare repository in {@code dir} with one commit holding {@code files}. */
    static GitPolicyRepository bare(Path dir, Map<String, byte[]> files) throws IOException {
        return GitPolicyRepository.initFromFiles(dir, files, true, "main", ALICE, "Initial policies");
    }

    /** Contents as strings, for exact map assertions. */
    static Map<String, String> text(Map<String, byte[]> files) {
        Map<String, String> m = new TreeMap<>();
        files.forEach((k, v) -> m.put(k, new String(v, StandardCharsets.UTF_8)));
        return m;
    }
}
