package dev.gavel.api.auth;

import java.nio.file.Path;

/**
 * Where the first-start admin key is written.
 *
 * @param created whether it was created just now (otherwise an earlier start wrote it)
 */
public record AdminTokenFile(Path path, boolean created) {}
