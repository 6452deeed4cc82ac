package dev.gavel.api.cli;

import java.time.Duration;

/** Ages and retention periods on the command line: {@code 30d}, {@code 12h}, {@code 90m}, or ISO-8601 {@code P30D}. */
final class Ages {

    private Ages() {}

    /** @throws UserError (exit 2) naming the option when the text is not an age of at least a minute */
    static Duration parse(String option, String text) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + " " + e.getMessage(), 2);
        }
        if (d.toMinutes() < 1) {
            throw new UserError(option + " must be at least 1m", 2);
        }
        return d;
    }
}
