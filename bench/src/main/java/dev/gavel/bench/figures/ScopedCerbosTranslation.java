package dev.gavel.bench.figures;

import dev.gavel.bench.peers.cerbos.CerbosScopedPolicies;
import dev.gavel.bench.workload.Workload;
import dev.gavel.engine.eval.Request;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The scoped translation ({@link CerbosScopedPolicies}, docs/peers.md): a Cerbos scope per Gavel scope, so
 * Cerbos evaluates only the policies on a request's scope chain, as Gavel evaluates only its tenant's and the
 * global partition. Answers are read as the flat translation's are.
 */
final class ScopedCerbosTranslation extends PeerCerbosTranslation {
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
    public String engineConfig() {
        return CerbosScopedPolicies.ENGINE_CONFIG;
    }
}
