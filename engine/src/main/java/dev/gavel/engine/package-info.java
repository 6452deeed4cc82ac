/**
 * The policy language. Pure: takes bytes, returns values; no Git, SQL, HTTP or files.
 * Packages by feature: model, parse, expr, resolve, compile, eval.
 */
package dev.gavel.engine;
