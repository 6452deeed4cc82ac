/**
 * YAML bytes to model values, with diagnostics that carry file, line, column and field path.
 * Entry points: {@link dev.gavel.engine.parse.PolicyParser}, {@link dev.gavel.engine.parse.RepositorySettingsParser},
 * {@link dev.gavel.engine.parse.TestSuiteParser}; {@link dev.gavel.engine.parse.PolicyWriter} writes policies back.
 * No input makes these throw: every problem becomes a {@link dev.gavel.engine.parse.Diagnostic}.
 */
package dev.gavel.engine.parse;
