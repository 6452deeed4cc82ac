package dev.gavel.api.cli;

import dev.gavel.store.git.Author;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code Name <email>} as Git writes an author. */
final class Authors {
    private static final Pattern NAME_EMAIL = Pattern.compile("^\\s*([^<>\\n]+?)\\s*<([^<>\\s]+@[^<>\\s]+)>\\s*$");

    private Authors() {}

    static Author parse(String text) {
        Matcher m = NAME_EMAIL.matcher(text);
        if (!m.matches()) {
            throw new UserError("author '" + text + "' is not of the form 'Name <email>'", 2);
        }
        return new Author(m.group(1), m.group(2));
    }
}
