/**
 * Observed workloads: the pods and jobs each cluster last reported, and which heartbeat policy governs
 * each, in an SQLite file of the data directory (never in Git). Knows nothing of Drools or HTTP: the
 * matches are computed elsewhere and stored here as values.
 */
package dev.gavel.store.workloads;
