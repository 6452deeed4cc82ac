package dev.gavel.bench.figures;

import dev.gavel.bench.workload.Workload;
import dev.gavel.engine.eval.Request;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the figures need from a translation of the generated workload into Cerbos policies: the policy
 * files, the check request for a Gavel request, and the decision read back from Cerbos's answer.
 *
 * <p>The real translation is {@code dev.gavel.bench.peers.cerbos.CerbosPolicies} (written for the peers
 * benchmark); {@link ScopedCerbosTranslation} is the same rules in Cerbos scopes (issue 12: the fair
 * comparison), and {@link ToyCerbosTranslation} only stands in so the harness can be checked quickly.
 */
interface CerbosTranslation {
    String name();

    /** Writes the Cerbos policies for {@code workload} under {@code dir} (a disk-driver directory). */
    void write(Workload workload, Path dir) throws IOException;

    /** The body of {@code POST /api/check/resources} asking what Gavel is asked by {@code request}. */
    String checkRequest(Request request);

    /** {@code allow}, {@code warn} or {@code deny}, from the body Cerbos answered. */
    String decision(String responseBody);

    /** Top-level blocks the server's config needs for these policies (e.g. {@code engine:}); none by default. */
    default String engineConfig() {
        return "";
    }
}
