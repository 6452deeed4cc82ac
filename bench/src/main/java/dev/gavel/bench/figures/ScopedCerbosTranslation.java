package dev.gavel.bench.figures;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gavel.bench.peers.cerbos.CerbosPolicies;
import dev.gavel.bench.peers.cerbos.CerbosScopedPolicies;
import dev.gavel.bench.workload.Workload;
import dev.gavel.engine.eval.Request;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The scoped translation ({@link CerbosScopedPolicies}, docs/peers.md): a Cerbos scope per Gavel scope, so
 * Cerbos evaluates only the policies on a request's scope chain, as Gavel evaluates only its tenant's and the
 * global partition.
 */
final class ScopedCerbosTranslation implements CerbosTranslation {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return CerbosScopedPolicies.class.getName();
    }

    @Override
    public void write(Workload workload, Path dir) throws IOException {
        CerbosScopedPolicies.write(workload, dir);
    }

    @Override
    public String checkRequest(Request request) {
        return CerbosScopedPolicies.checkRequest(request).toString();
    }

    @Override
    public String decision(String responseBody) {
        try {
            return CerbosPolicies.decision(JSON.readTree(responseBody)).toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new IllegalStateException("Cerbos answered no JSON: " + responseBody, e);
        }
    }

    @Override
    public String engineConfig() {
        return CerbosScopedPolicies.ENGINE_CONFIG;
    }
}
