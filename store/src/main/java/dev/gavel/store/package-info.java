/** Persistence: the Git policy repository ({@code git}) and the SQLite evaluation log ({@code log}). */
package dev.gavel.store;
