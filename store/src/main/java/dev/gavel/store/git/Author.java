package dev.gavel.store.git;

/**
 * The person a commit is made for (written as both Git author and committer).
 *
 * <p>Rejects characters that would corrupt the commit header ({@code <}, {@code >}, newlines, NUL): Git's
 * {@code fsck --strict} refuses such commits, and they would break every later clone.
 */
public record Author(String name, String email) {
    public Author {
        name = checked("name", name);
        email = checked("email", email);
    }

    private static String checked(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("author " + what + " is empty");
        }
        String v = value.strip();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '<' || c == '>' || c == '\n' || c == '\r' || c == '\0') {
                throw new IllegalArgumentException(
                        "author " + what + " '" + v.replace("\n", "\\n") + "' may not contain <, > or line breaks");
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return name + " <" + email + ">";
    }
}
