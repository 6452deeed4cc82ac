package dev.gavel.bench.engine;

import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.parse.PolicyParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses every policy file of a generated repository, pass after pass on one thread, and prints each pass's
 * milliseconds: the first pass is the cold one (a fresh JVM), the later ones the warm cost of reading YAML, checking
 * it against the schema and building the policies. For profiling (JFR) and comparing two engine builds.
 *
 * <p>{@code scripts/bench main dev.gavel.bench.engine.ParseLoop --policies 10000 --passes 8}
 */
public final class ParseLoop {
    private ParseLoop() {}

    public static void main(String[] args) {
        int policies = 10_000;
        int passes = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--policies" -> policies = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Map.Entry<String, byte[]>> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> f :
                WorkloadGenerator.generate(policies).files().entrySet()) {
            if (f.getKey().startsWith("policies/")) {
                files.add(f);
            }
        }
        StringBuilder line = new StringBuilder("ms per pass over " + files.size() + " files:");
        for (int pass = 0; pass < passes; pass++) {
            long t0 = System.nanoTime();
            int valid = 0;
            for (Map.Entry<String, byte[]> f : files) {
                if (PolicyParser.parse(f.getValue(), f.getKey()).valueIfValid().isPresent()) {
                    valid++;
                }
            }
            if (valid != files.size()) {
                throw new IllegalStateException((files.size() - valid) + " generated files did not parse");
            }
            line.append(' ').append((System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println(line);
    }
}
