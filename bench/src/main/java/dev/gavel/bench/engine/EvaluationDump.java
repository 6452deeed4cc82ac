package dev.gavel.bench.engine;

import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the evaluation of every request of a generated mix, one line each, so that two builds of the
 * engine can be compared with {@code diff} (decisions must stay identical across engine changes).
 *
 * <p>{@code scripts/bench main dev.gavel.bench.engine.EvaluationDump --policies 1000 --requests 10000 --out /tmp/a.txt}
 */
public final class EvaluationDump {
    private EvaluationDump() {}

    public static void main(String[] args) throws IOException {
        int policies = Integer.parseInt(AlphaWalkReport.arg(args, "--policies", "1000"));
        int count = Integer.parseInt(AlphaWalkReport.arg(args, "--requests", "10000"));
        Path out = Path.of(AlphaWalkReport.arg(args, "--out", "evaluations.txt"));
        Workload workload = WorkloadGenerator.generate(policies);
        PolicySnapshot snapshot = workload.compile("dump").snapshot();
        List<Request> mix = RequestMix.generate(workload, workload.seed(), count);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            for (Request r : mix) {
                w.println(snapshot.evaluate(r));
            }
        }
    }
}
