package dev.gavel.api.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ages and retention periods on the command line: {@code 30d}, {@code 12h}, {@code 90m}, or ISO-8601 {@code P30D}. */
final class Ages {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,6})(d|h|m)");

  private Ages() {}

  /** @throws UserError (exit 2) naming the option when the text is not an age of at least a minute */
  static Duration parse(String option, String text) {
    Matcher m = SHORT.matcher(text.strip().toLowerCase(Locale.ROOT));
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofMinutes(n);
      };
    } else {
      try {
        d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new UserError(option + " '" + text + "' is not a duration such as 30d, 12h, 90m or P30D", 2);
      }
    }
    if (d.toMinutes() < 1) {
      throw new UserError(option + " must be at least 1m", 2);
    }
    return d;
  }
}
