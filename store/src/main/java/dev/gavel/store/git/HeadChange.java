package dev.gavel.store.git;

import java.util.Optional;

/**
 * The served branch moved.
 *
 * @param previous the head before (empty when the branch did not exist)
 * @param current the head now (empty when the branch was deleted)
 */
public record HeadChange(Optional<String> previous, Optional<String> current) {}
