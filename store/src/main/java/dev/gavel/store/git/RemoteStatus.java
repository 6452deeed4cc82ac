package dev.gavel.store.git;

import java.time.Instant;
import java.util.Optional;

/**
 * What a clone knows of its remote: the branch head it last saw there, when a fetch last succeeded, and the last
 * fetch or push error (cleared by the next success).
 *
 * @param url the remote's URL, without credentials
 * @param remoteHead the served branch's head on the remote as of the last successful fetch or push
 * @param lastFetch when a fetch last succeeded
 * @param lastError the last fetch error while the remote has been failing
 * @param unreachableSince when the current run of failures began; empty while the remote answers
 */
public record RemoteStatus(
        String url,
        Optional<String> remoteHead,
        Optional<Instant> lastFetch,
        Optional<String> lastError,
        Optional<Instant> unreachableSince) {
    public boolean reachable() {
        return unreachableSince.isEmpty();
    }
}
