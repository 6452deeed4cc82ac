package dev.gavel.engine.impact;

import dev.gavel.engine.resolve.ResolvedPolicy;
import java.util.List;
import java.util.Optional;

/**
 * How one policy's resolved view at one scope differs between two versions.
 *
 * @param before the resolved policy before; empty when added
 * @param after the resolved policy after; empty when removed
 * @param fields the differing fields (for {@link Kind#CHANGED}; empty when only the layers moved)
 */
public record PolicyChange(
        String policy,
        Kind kind,
        Optional<ResolvedPolicy> before,
        Optional<ResolvedPolicy> after,
        List<FieldChange> fields) {

    public PolicyChange {
        fields = List.copyOf(fields);
    }

    public enum Kind {
        ADDED("added"),
        REMOVED("removed"),
        CHANGED("changed");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
