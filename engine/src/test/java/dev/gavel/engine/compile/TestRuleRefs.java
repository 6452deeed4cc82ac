package dev.gavel.engine.compile;

import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.ScopePath;
import java.util.List;

/** Side-table entries for tests that build partitions from constraints directly (no policy behind them). */
public final class TestRuleRefs {
    private TestRuleRefs() {}

    /** A global, blocking deny of {@code policy}, from file {@code f}, rule {@code r}. */
    public static RuleRef blockingDeny(String policy) {
        return new RuleRef(
                policy,
                ScopePath.GLOBAL,
                "f",
                "r",
                RuleRef.Kind.DECIDE,
                Effect.DENY,
                Enforcement.BLOCK,
                "",
                "",
                List.of());
    }
}
