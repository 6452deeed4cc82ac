/**
 * What a change to the policies does before it merges: the policy tests run against a snapshot
 * ({@link dev.gavel.engine.impact.PolicyTestRunner}) and the difference between the resolved
 * policies of two snapshots, scope by scope ({@link dev.gavel.engine.impact.ImpactAnalyzer}).
 * Pure: takes snapshots, returns values.
 */
package dev.gavel.engine.impact;
