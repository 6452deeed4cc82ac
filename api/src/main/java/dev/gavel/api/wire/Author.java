package dev.gavel.api.wire;

/** Who made a commit. */
public record Author(
        @Doc(example = "Ada") String name,
        @Doc(example = "ada@example.com") String email) {
    public static Author of(dev.gavel.store.git.Author a) {
        return new Author(a.name(), a.email());
    }
}
