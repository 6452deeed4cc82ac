package dev.gavel.bench.figures;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gavel.bench.peers.cerbos.CerbosPolicies;
import dev.gavel.bench.workload.Workload;
import dev.gavel.engine.eval.Request;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The peers benchmark's translation ({@link CerbosPolicies}, docs/peers.md), checked equivalent to Gavel there. */
class PeerCerbosTranslation implements CerbosTranslation {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return CerbosPolicies.class.getName();
    }

    @Override
    public void write(Workload workload, Path dir) throws IOException {
        CerbosPolicies.write(workload, dir);
    }

    @Override
    public String checkRequest(Request request) {
        return CerbosPolicies.checkRequest(request).toString();
    }

    @Override
    public String decision(String responseBody) {
        try {
            return CerbosPolicies.decision(JSON.readTree(responseBody)).toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new IllegalStateException("Cerbos answered no JSON: " + responseBody, e);
        }
    }
}
