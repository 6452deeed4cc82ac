/**
 * The SQLite evaluation log: one row per evaluation (with its matched policies in a child table),
 * written by one thread in batched transactions, read on separate connections (WAL), plus hourly usage
 * roll-ups and the persisted state of circuit breakers. Knows nothing of the engine: rows are plain values.
 */
package dev.gavel.store.log;
