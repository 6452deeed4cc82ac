package dev.gavel.engine.snapshot;

import dev.gavel.engine.parse.Diagnostic;
import java.util.List;
import java.util.Set;

/** The outcome of compiling one commit. */
public sealed interface CompileResult {
    String commit();

    /** Errors (for a rejection) or warnings, sorted by file and position. */
    List<Diagnostic> diagnostics();

    /**
     * The commit compiled.
     *
     * @param rebuiltPartitions partitions whose knowledge base was built anew (the rest were reused)
     * @param millis wall time of the compile
     */
    record Compiled(PolicySnapshot snapshot, Set<String> rebuiltPartitions, long millis) implements CompileResult {
        @Override
        public String commit() {
            return snapshot.commit();
        }

        @Override
        public List<Diagnostic> diagnostics() {
            return snapshot.warnings();
        }
    }

    /** The commit does not compile; whoever serves keeps the last good snapshot. */
    record Rejected(String commit, List<Diagnostic> diagnostics) implements CompileResult {
        public Rejected {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
