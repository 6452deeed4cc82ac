package dev.gavel.api.server;

import dev.gavel.api.server.eval.PromotionReadiness;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.store.git.CommitInfo;
import dev.gavel.store.git.GitPolicyRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Since when a policy file has had its present enforcement, from Git: the oldest commit of the newest unbroken
 * run of versions of the file at that enforcement (a version that does not parse, or the file's absence, ends the
 * run). Looks at most {@link #MAX_VERSIONS} versions back.
 */
final class GitEnforcementHistory implements PromotionReadiness.EnforcementHistory {
    static final int MAX_VERSIONS = 200;

    private final GitPolicyRepository repository;

    GitEnforcementHistory(GitPolicyRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<Instant> since(String file, Enforcement current) {
        return sinceCommit(file, current).map(CommitInfo::time);
    }

    /** The commit that began the newest run of versions at {@code current}. */
    Optional<CommitInfo> sinceCommit(String file, Enforcement current) {
        List<CommitInfo> versions = repository.history(file);
        CommitInfo since = null;
        for (int i = 0; i < versions.size() && i < MAX_VERSIONS; i++) {
            CommitInfo c = versions.get(i);
            Optional<byte[]> bytes = repository.fileAt(c.id(), file);
            if (bytes.isEmpty()) {
                break;
            }
            ParseResult<Policy> r = PolicyParser.parse(bytes.get(), file);
            if (!(r instanceof ParseResult.Parsed<Policy> ok)
                    || ok.value().spec().enforcement() != current) {
                break;
            }
            since = c;
        }
        return Optional.ofNullable(since);
    }
}
