package dev.gavel.bench.figures;

import dev.gavel.bench.workload.RequestJson;
import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything generated for one repository size, under {@code <work>/<size>}: the workload, the seeded
 * request mix as Gavel and Cerbos bodies (one per line, for wrk), Gavel's bare repository with a work
 * clone to push from, and Cerbos's policies as a disk directory and as a bare repository.
 */
record Workspace(
        int size,
        Path dir,
        Workload workload,
        List<Request> requests,
        Path gavelBodies,
        Path cerbosBodies,
        Path resolvedPaths,
        Path gavelRepo,
        Path gavelWork,
        Path cerbosPolicies,
        Path cerbosRepo,
        Path cerbosWork) {
    static final long REQUEST_SEED = 7L;
    static final int REQUESTS = 10_000;
    /** Where Cerbos's git driver finds its policies in the repository. */
    static final String CERBOS_SUBDIR = "policies";

    static Workspace create(int size, Path work, CerbosTranslation cerbos) throws IOException, InterruptedException {
        Path dir = work.resolve(String.valueOf(size));
        Phases phases = new Phases();
        if (Files.exists(dir)) {
            delete(dir); // regenerated every time: a previous run's probe commits must not carry over
        }
        Files.createDirectories(dir);
        Workload workload = WorkloadGenerator.generate(size);
        RequestMix.Rates d = RequestMix.Rates.DEFAULT;
        // Without requests lacking a flavor or tokens: Gavel answers those 422 (a policy needs the field), a
        // check API allows or denies them, and a load run should compare decisions, not error answers.
        RequestMix.Rates complete = new RequestMix.Rates(
                d.edgeLocation(),
                d.sanctioned(),
                d.edgeGpu(),
                d.gpu(),
                d.bigTokens(),
                d.experimental(),
                0.0,
                d.unknownScope());
        List<Request> requests = RequestMix.generate(workload, REQUEST_SEED, REQUESTS, complete);
        phases.done("workload");

        Path gavelBodies =
                lines(dir.resolve("gavel-bodies.jsonl"), requests.stream().map(RequestJson::json));
        Path cerbosBodies =
                lines(dir.resolve("cerbos-bodies.jsonl"), requests.stream().map(cerbos::checkRequest));
        Path resolved = lines(
                dir.resolve("resolved-paths.txt"),
                workload.envScopes().stream().map(s -> "/api/v1/scopes/" + s + "/resolved"));
        phases.done("bodies");

        Path gavelRepo = Git.repository(dir.resolve("gavel"), workload.files());
        phases.done("gavel repo");
        Path cerbosPolicies = dir.resolve("cerbos-disk");
        cerbos.write(workload, cerbosPolicies);
        phases.done("cerbos policies");
        Map<String, byte[]> cerbosFiles = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(cerbosPolicies)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                cerbosFiles.put(CERBOS_SUBDIR + "/" + cerbosPolicies.relativize(f), Files.readAllBytes(f));
            }
        }
        Path cerbosRepo = Git.repository(dir.resolve("cerbos-git"), cerbosFiles);
        phases.done("cerbos repo");
        System.out.println("  (workspace " + size + ": " + phases + ")");
        return new Workspace(
                size,
                dir,
                workload,
                requests,
                gavelBodies,
                cerbosBodies,
                resolved,
                gavelRepo,
                dir.resolve("gavel/work"),
                cerbosPolicies,
                cerbosRepo,
                dir.resolve("cerbos-git/work"));
    }

    /** Seconds spent in each step of {@link #create}, for the log line. */
    private static final class Phases {
        private final StringBuilder out = new StringBuilder();
        private long last = System.nanoTime();

        void done(String step) {
            long now = System.nanoTime();
            out.append(out.length() == 0 ? "" : ", ")
                    .append(step)
                    .append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.1f s", (now - last) / 1e9));
            last = now;
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }

    /** An env scope of the first tenant: where the reload probe's policy applies. */
    String probeScope() {
        return workload.envScopes().get(0);
    }

    String probeTenant() {
        return probeScope().split("\\.")[0];
    }

    List<String> gavelBodyLines() throws IOException {
        return Files.readAllLines(gavelBodies);
    }

    List<String> cerbosBodyLines() throws IOException {
        return Files.readAllLines(cerbosBodies);
    }

    private static Path lines(Path file, Stream<String> lines) throws IOException {
        Files.write(file, (Iterable<String>) lines::iterator, StandardCharsets.UTF_8);
        return file;
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
