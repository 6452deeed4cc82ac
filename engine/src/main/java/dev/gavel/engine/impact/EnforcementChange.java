package dev.gavel.engine.impact;

import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Status;

/**
 * A policy present in both versions at a scope whose enforcement or status changed there: what
 * decides whether its rules can deny, warn, or only be logged.
 */
public record EnforcementChange(
        ScopePath scope,
        String policy,
        Enforcement before,
        Status beforeStatus,
        Enforcement after,
        Status afterStatus) {

    /** {@code paused}, or the enforcement when active: what the engine applies. */
    public static String effective(Enforcement enforcement, Status status) {
        return status == Status.PAUSED ? "paused" : enforcement.value();
    }

    public String effectiveBefore() {
        return effective(before, beforeStatus);
    }

    public String effectiveAfter() {
        return effective(after, afterStatus);
    }

    /** True when the policy can do less than before: a lower enforcement, or paused. */
    public boolean weakens() {
        return rank(after, afterStatus) < rank(before, beforeStatus);
    }

    private static int rank(Enforcement e, Status s) {
        return s == Status.PAUSED ? -1 : e.ordinal();
    }
}
