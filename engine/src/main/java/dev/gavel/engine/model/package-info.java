/**
 * The policy file format as immutable values: {@link dev.gavel.engine.model.Policy} and its parts,
 * repository settings ({@code gavel.yaml}), policy tests, names and scope paths.
 * Values here are already valid; {@code dev.gavel.engine.parse} turns bytes into them with diagnostics.
 */
package dev.gavel.engine.model;
