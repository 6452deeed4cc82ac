package dev.gavel.api.cli;

import dev.gavel.api.auth.ApiKey;
import dev.gavel.api.auth.ApiKeyFileException;
import dev.gavel.api.auth.ApiKeyStore;
import dev.gavel.api.auth.IssuedApiKey;
import dev.gavel.api.auth.Role;
import dev.gavel.engine.model.Names;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gavel token create|list|revoke}: API keys in the data directory the server reads. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        header = "Manage the API keys of a Gavel data directory.",
        description =
                "Manage the API keys of a Gavel data directory (a running server picks changes up within a second).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListKeys.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    static final String DEFAULT_DATA = DataDirOption.DEFAULT;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create an API key and print it once on stdout (only a hash is stored).",
                "Example: KEY=$(gavel token create --role editor --tenant acme --name ci)"
            })
    static final class Create implements Callable<Integer> {
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "reader, editor or admin.")
        String role;

        @Option(
                names = "--tenant",
                paramLabel = "T",
                description = "Limit the key to this tenant (repeatable); without it the key sees every tenant.")
        List<String> tenants = new ArrayList<>();

        @Option(
                names = "--name",
                paramLabel = "N",
                description = "Who the key is for; used as commit author (default: key-<id>).")
        String name;

        @Mixin
        DataDirOption dataDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Role r = Role.fromValue(role)
                    .orElseThrow(() -> new UserError(
                            "--role '" + Names.printable(role) + "' is not one of reader, editor, admin", 2));
            Set<String> limited = new LinkedHashSet<>();
            for (String t : tenants) {
                if (!Names.isValid(t)) {
                    throw new UserError(
                            "--tenant '" + Names.printable(t) + "' is not a valid name: " + Names.RULE_TEXT, 2);
                }
                limited.add(t);
            }
            if (name != null && !ApiKeyStore.isValidName(name.strip())) {
                throw new UserError(
                        "--name '" + Names.printable(name)
                                + "' is not valid: 1 to 100 characters, no control characters, '<' or '>'",
                        2);
            }
            IssuedApiKey issued;
            try {
                issued = ApiKeyStore.open(dataDir.data)
                        .create(r, limited.isEmpty() ? Optional.empty() : Optional.of(limited), name);
            } catch (ApiKeyFileException e) {
                throw new UserError(e.getMessage());
            }
            // stdout holds the key and nothing else, so that $(gavel token create ...) captures it.
            spec.commandLine().getOut().println(issued.token());
            ApiKey k = issued.key();
            spec.commandLine()
                    .getErr()
                    .printf(
                            "Created %s key %s (name: %s, tenants: %s) in %s. It is shown only this once.%n",
                            k.role().value(),
                            k.id(),
                            k.name(),
                            tenantsText(k),
                            dataDir.data.resolve(ApiKeyStore.KEYS_FILE));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the API keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<ApiKey> keys;
            try {
                keys = ApiKeyStore.open(dataDir.data).list();
            } catch (ApiKeyFileException e) {
                throw new UserError(e.getMessage());
            }
            if (keys.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("No API keys in " + dataDir.data.resolve(ApiKeyStore.KEYS_FILE) + ".");
                return 0;
            }
            int nameWidth = Math.max(
                    4, keys.stream().mapToInt(k -> k.name().length()).max().orElse(0));
            int tenantWidth = Math.max(
                    7,
                    keys.stream().mapToInt(k -> tenantsText(k).length()).max().orElse(0));
            String row = "%-12s  %-" + nameWidth + "s  %-6s  %-" + tenantWidth + "s  %s%n";
            PrintWriter out = spec.commandLine().getOut();
            out.printf(row, "ID", "NAME", "ROLE", "TENANTS", "CREATED");
            for (ApiKey k : keys) {
                out.printf(row, k.id(), k.name(), k.role().value(), tenantsText(k), k.createdAt());
            }
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke an API key by id (see `gavel token list`).")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The key's id.")
        String id;

        @Mixin
        DataDirOption dataDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            boolean revoked;
            try {
                revoked = ApiKeyStore.open(dataDir.data).revoke(id);
            } catch (ApiKeyFileException e) {
                throw new UserError(e.getMessage());
            }
            if (!revoked) {
                throw new UserError("no API key with id '" + Names.printable(id) + "' in "
                        + dataDir.data.resolve(ApiKeyStore.KEYS_FILE));
            }
            spec.commandLine().getOut().println("Revoked key " + id + ".");
            return 0;
        }
    }

    private static String tenantsText(ApiKey k) {
        return k.tenants().map(t -> String.join(",", new TreeSet<>(t))).orElse("*");
    }
}
