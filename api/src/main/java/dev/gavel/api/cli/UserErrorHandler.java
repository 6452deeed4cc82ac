package dev.gavel.api.cli;

import picocli.CommandLine;

/** Prints user errors as {@code gavel: message}; anything else keeps its stack trace (it is a bug). */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult)
            throws Exception {
        if (ex instanceof UserError e) {
            cmd.getErr().println("gavel: " + e.getMessage());
            return e.exitCode();
        }
        throw ex;
    }
}
