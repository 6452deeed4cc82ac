package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/api.md's route table lists exactly the routes the server registers. */
class DocsInSyncTest {
    @TempDir
    static Path dir;

    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    @DisplayName("every registered route has a row in docs/api.md, and every row is a registered route")
    void routeTableMatchesTheServer() throws Exception {
        Path doc =
                Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("api.md");
        String text = Files.readString(doc);
        String table = text.substring(text.indexOf("## Routes"), text.indexOf("\n## ", text.indexOf("## Routes") + 3));
        Set<String> documented = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(GET|POST|PUT|PATCH|DELETE) (/[^`]*)` \\|")
                .matcher(table);
        while (m.find()) {
            documented.add(m.group(1) + " " + m.group(2));
        }
        Set<String> registered = new HashSet<>();
        for (ApiRoute r : f.server.routes()) {
            registered.add(r.method().name() + " " + r.path());
        }
        assertThat(documented).isEqualTo(registered);
    }
}
