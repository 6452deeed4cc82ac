package dev.gavel.api.wire;

import java.util.Optional;

/** The branch head after fetching. */
public record HookResult(@Doc(pattern = Patterns.COMMIT) Optional<String> head) {}
