package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/** What a write committed: the new commit, the head before, and the policy as it now stands. */
public record WriteResult(
        @Doc(pattern = Patterns.COMMIT) String commit,
        @Doc(pattern = Patterns.COMMIT) Optional<String> previous,

        @Doc("false when the write changed nothing (no commit made)")
        boolean changed,

        @JsonInclude(JsonInclude.Include.NON_NULL) RawPolicy policy) {}
