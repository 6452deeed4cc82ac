package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The policy files directly in one scope at one commit. */
public record ScopePolicies(
        @Doc(pattern = Patterns.SCOPE) String scope,
        @Doc(pattern = Patterns.COMMIT) String commit,

        @Doc("The scope version read, when ?version= was given") @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer version,

        List<RawPolicy> data) {}
