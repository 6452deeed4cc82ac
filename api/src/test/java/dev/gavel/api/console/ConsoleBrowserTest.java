package dev.gavel.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gavel.api.auth.Authenticator;
import dev.gavel.api.auth.Principal;
import dev.gavel.api.auth.Role;
import dev.gavel.api.server.GavelServer;
import dev.gavel.api.server.ServerOptions;
import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's chromium through its chromedriver) against a real server
 * over a real repository made from the template. One browser and one server for the class, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String CANARY = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script> canary";

    static final Map<String, Principal> TOKENS = Map.of(
            "admin-key", new Principal("Ada Admin", Role.ADMIN, Optional.empty()),
            "reader-key", new Principal("Rita Reader", Role.READER, Optional.empty()),
            "globex-key", new Principal("globex-runtime", Role.READER, Optional.of(Set.of("globex"))));
    static final Authenticator AUTH = header -> header != null && header.startsWith("Bearer ")
            ? Optional.ofNullable(TOKENS.get(header.substring(7)))
            : Optional.empty();

    @TempDir
    static Path dir;

    static GitPolicyRepository repository;
    static GavelServer server;
    static ChromeDriver browser;
    static WebDriverWait wait;
    static final HttpClient http = HttpClient.newHttpClient();
    static String original;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (scripts/test installs them)");
        repository = GitPolicyRepository.initFromFiles(
                dir.resolve("policies.git"),
                RepositoryTemplate.files(),
                true,
                "main",
                new Author("Tester", "tester@example.com"),
                "Template policies");
        server = new GavelServer(
                        repository, AUTH, ServerOptions.defaults().withPort(0).withPoll(Duration.ofMillis(100)))
                .start();
        original = call("GET", "/api/v1/scopes/acme/policies/token-limits", null, "Accept", "application/yaml")
                .body();
        HttpResponse<String> canary = call(
                "PUT",
                "/api/v1/scopes/globex/policies/xss-canary",
                """
        apiVersion: gavel/v1
        kind: Policy
        metadata:
          name: xss-canary
          displayName: "<script>window.__xss=3</script>"
          description: "%s"
        spec:
          type: custom
          enforcement: audit
          rules:
            - name: never
              when: action == "never"
              effect: deny
              message: "%s"
        """.formatted(CANARY.replace("\"", "\\\""), CANARY.replace("\"", "\\\"")),
                "Content-Type",
                "application/yaml");
        assertThat(canary.statusCode()).as(canary.body()).isEqualTo(201);
        for (String location : List.of(
                "eu-central-1\",\"country\":\"DE\",\"continent\":\"EU",
                "us-east-1\",\"country\":\"US\",\"continent\":\"NA")) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = call(
                        "POST",
                        "/api/v1/evaluate",
                        "{\"scope\":\"acme.search\",\"resource\":{\"type\":\"model\",\"name\":\"m1\"},"
                                + "\"action\":\"invoke\",\"location\":{\"name\":\"" + location + "\"},"
                                + "\"flavor\":{\"name\":\"c7i.large\",\"type\":\"cpu\"},\"tokens\":{\"input\":1000,\"output\":200}}",
                        "Content-Type",
                        "application/json");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
        }
        server.evaluations().log().flush();

        Files.createDirectories(SHOTS);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,900",
                "--no-first-run",
                "--disable-extensions");
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
            repository.close();
        }
    }

    @AfterEach
    void screenshot(TestInfo info) throws IOException {
        if (browser != null) {
            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            Path file = SHOTS.resolve(info.getTestMethod().orElseThrow().getName() + ".png");
            Files.write(file, png);
            System.out.println("[console] screenshot " + file.toAbsolutePath());
        }
    }

    static HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer admin-key");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String ui() {
        return "http://127.0.0.1:" + server.port() + "/ui/";
    }

    static void signIn(String key) {
        browser.get(ui());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        WebElement input = wait.until(d -> d.findElement(By.id("api-key")));
        input.sendKeys(key, Keys.ENTER);
        wait.until(
                d -> !d.findElements(By.cssSelector("#tree a[data-scope='']")).isEmpty()
                        && d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
    }

    static void go(String hash) {
        ((JavascriptExecutor) browser)
                .executeScript(
                        "document.body.removeAttribute('data-rendered');"
                                + " if (location.hash === arguments[0]) window.dispatchEvent(new HashChangeEvent('hashchange')); else location.hash = arguments[0];",
                        hash);
        wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
    }

    static WebElement find(String css) {
        return wait.until(d -> d.findElement(By.cssSelector(css)));
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    @Test
    @Order(1)
    @DisplayName(
            "/ui/ is served from the jar with a strict CSP and no framing; first render and gzipped size are measured")
    void servedWithStrictHeaders() throws Exception {
        HttpResponse<String> page =
                http.send(HttpRequest.newBuilder(URI.create(ui())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("<script type=\"module\" src=\"js/app.js\">")
                .doesNotContain("<script>")
                .doesNotContain("style=");
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(csp)
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        long raw = 0, gz = 0;
        for (String asset : List.of(
                "",
                "console.css",
                "js/app.js",
                "js/api.js",
                "js/dom.js",
                "js/scopes.js",
                "js/policy.js",
                "js/decisions.js",
                "js/status.js",
                "js/workloads.js",
                "js/settings.js",
                "schema/policy.schema.json")) {
            HttpResponse<byte[]> r = http.send(
                    HttpRequest.newBuilder(URI.create(ui() + asset)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(asset).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as(asset)
                    .isPresent();
            raw += r.body().length;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(r.body());
            }
            gz += out.size();
        }
        System.out.printf("[console] assets: %d bytes, %d bytes gzipped%n", raw, gz);

        signIn("admin-key");
        assertThat(browser.getCurrentUrl()).doesNotContain("admin-key");
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            browser.navigate().refresh(); // the key is in sessionStorage: straight to the first page
            wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
            System.out.printf(
                    "[console] first render: %d ms (navigation to rendered page), %s ms (page's own clock)%n",
                    (System.nanoTime() - t) / 1_000_000,
                    browser.findElement(By.tagName("body")).getAttribute("data-rendered"));
        }
    }

    @Test
    @Order(2)
    @DisplayName("sign in, then browse the scope tree with counts down to a scope page")
    void signInAndBrowse() {
        signIn("admin-key");
        assertThat(find("#who").getText()).contains("Ada Admin").contains("admin");
        assertThat(js("return sessionStorage.getItem('gavel.key')")).isEqualTo("admin-key");
        WebElement acme = find("#tree a[data-scope='acme']");
        assertThat(acme.getText()).matches("acme \\d+/\\d+");
        find("#tree a[data-scope='acme.chat']").click();
        wait.until(d -> d.findElement(By.id("scope-name")).getText().equals("acme.chat"));
        wait.until(d -> !d.findElements(By.cssSelector("#defined tr[data-policy='token-limits']"))
                .isEmpty());
        assertThat(find("#defined").getText()).contains("weekend-freeze");
    }

    @Test
    @Order(3)
    @DisplayName("the resolved view shows the layers and which scope set each field; locked guardrails are marked")
    void resolvedProvenance() {
        go("#/scope/acme.chat.support-bot.prod");
        WebElement item = find("#resolved details[data-policy='token-limits']");
        item.findElement(By.tagName("summary")).click();
        assertThat(item.findElements(By.cssSelector(".layers li"))).hasSize(5);
        assertThat(item.findElement(By.cssSelector("tr[data-field='metadata.description'] .set-at"))
                        .getText())
                .isEqualTo("acme.chat.support-bot");
        assertThat(item.findElement(By.cssSelector("tr[data-field='metadata.labels.team'] .set-at"))
                        .getText())
                .isEqualTo("global");
        assertThat(item.findElement(By.cssSelector("tr[data-field='spec.settings.total'] .set-at"))
                        .getText())
                .isEqualTo("acme.chat.support-bot.prod");
        assertThat(find("#resolved details[data-policy='no-sanctioned-regions'] .badge.locked")
                        .getText())
                .contains("locked");
        assertThat(find("#tree a[aria-current='page']").getAttribute("data-scope"))
                .isEqualTo("acme.chat.support-bot.prod");
        js("arguments[0].scrollIntoView()", item);
    }

    @Test
    @Order(4)
    @DisplayName("an edit into an invalid state shows the diagnostic at its line; fixed, it commits with If-Match")
    void editValidateCommit() throws Exception {
        go("#/policy/acme/token-limits/edit");
        WebElement editor = find("#yaml-editor");
        wait.until(d -> d.findElement(By.id("validity")).getText().equals("Valid"));
        String text = editor.getAttribute("value");
        int line = List.of(text.split("\n")).indexOf("  enforcement: block") + 1;
        assertThat(line).isPositive();
        js(
                "const a = arguments[0]; a.value = a.value.replace('enforcement: block', 'enforcement: blok'); a.dispatchEvent(new Event('input'));",
                editor);
        WebElement diag = find("#diagnostics li.diagnostic[data-line='" + line + "']");
        assertThat(diag.getText())
                .contains("line " + line)
                .contains("spec.enforcement")
                .contains("blok");
        assertThat(find(".gutter div.err[data-line='" + line + "']").getText()).isEqualTo(String.valueOf(line));

        js(
                "const a = arguments[0]; a.value = a.value.replace('enforcement: blok', 'enforcement: block').replace('total: 50000', 'total: 60000');"
                        + " a.dispatchEvent(new Event('input'));",
                editor);
        wait.until(d -> d.findElement(By.id("validity")).getText().equals("Valid"));
        assertThat(browser.findElements(By.cssSelector("#diagnostics li"))).isEmpty();
        WebElement message = find("#commit-message");
        message.clear();
        message.sendKeys("Raise acme's token cap to 60k");
        find("#commit-button").click();
        wait.until(d -> d.findElement(By.id("commit-result")).getText().startsWith("Committed"));
        assertThat(call("GET", "/api/v1/scopes/acme/policies/token-limits", null, "Accept", "application/yaml")
                        .body())
                .contains("total: 60000");
    }

    @Test
    @Order(5)
    @DisplayName("the commit is in the policy's history with its side-by-side diff")
    void historyAndDiff() {
        go("#/policy/acme/token-limits/history");
        wait.until(d -> d.findElements(By.cssSelector("tr.version")).size() == 2);
        assertThat(find("tr.version").getText())
                .contains("Raise acme's token cap to 60k")
                .contains("Ada Admin");
        WebElement diff = find("#diff table.diff");
        assertThat(diff.findElement(By.cssSelector("td.del")).getText()).contains("total: 50000");
        assertThat(diff.findElement(By.cssSelector("td.add")).getText()).contains("total: 60000");
    }

    @Test
    @Order(6)
    @DisplayName("an admin rolls the scope back after a confirmation showing what changes")
    void rollBack() throws Exception {
        go("#/policy/acme/token-limits/history");
        find("button[data-rollback]").click();
        WebElement dialog = find("dialog#confirm[open]");
        wait.until(d -> dialog.getText().contains("total: 60000"));
        assertThat(dialog.getText()).contains("total: 50000");
        find("#confirm-ok").click();
        wait.until(d -> {
            try {
                return call("GET", "/api/v1/scopes/acme/policies/token-limits", null, "Accept", "application/yaml")
                        .body()
                        .equals(original);
            } catch (Exception e) {
                return false;
            }
        });
        wait.until(d -> d.findElement(By.id("scope-name")).getText().equals("acme"));
        wait.until(d -> d.findElement(By.id("main")).getText().contains("Roll back acme to version"));
    }

    @Test
    @Order(7)
    @DisplayName(
            "evaluations appear in the log, the chart by outcome and the top denying policies; try it shows the rules that fired")
    void decisions() {
        go("#/decisions");
        wait.until(
                d -> d.findElements(By.cssSelector("#log-rows tr.evaluation")).size() == 6);
        assertThat(browser.findElements(By.cssSelector("#log-rows tr[data-decision='deny']")))
                .hasSize(3);
        wait.until(d -> !d.findElements(By.cssSelector("#chart rect.bar.deny[data-count]"))
                .isEmpty());
        int denies = browser.findElements(By.cssSelector("#chart rect.bar.deny[data-count]")).stream()
                .mapToInt(e -> Integer.parseInt(e.getAttribute("data-count")))
                .sum();
        assertThat(denies).isEqualTo(3);
        assertThat(find("#top-list").getText()).contains("eu-residency");
        assertThat(find("#latency").getText()).startsWith("p50 ");

        go("#/try");
        find("#try-send").click();
        assertThat(find("#try-decision").getText()).isNotBlank();
        go("#/decisions?decision=deny");
        wait.until(
                d -> d.findElements(By.cssSelector("#log-rows tr.evaluation")).size() == 3);
    }

    @Test
    @Order(7)
    @DisplayName("a page per evaluation: opened from the log, it shows the decision, the request, the rules that "
            + "fired (linked to their policies) and the commit that decided it")
    void evaluationPage() {
        go("#/decisions?decision=deny");
        wait.until(
                d -> d.findElements(By.cssSelector("#log-rows tr.evaluation")).size() == 3);
        WebElement row = find("#log-rows tr.evaluation");
        String id = row.getAttribute("data-id");
        row.findElement(By.cssSelector("a.evaluation-link")).click();
        wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null
                && !d.findElements(By.id("evaluation-id")).isEmpty());
        assertThat(browser.getCurrentUrl()).endsWith("#/evaluation/" + id);
        assertThat(find("#evaluation-id").getText()).isEqualTo(id);
        assertThat(find("#evaluation-decision").getText()).isEqualTo("deny");
        assertThat(find("#evaluation-request").getText()).contains("\"scope\"");
        assertThat(find("#evaluation-commit").getAttribute("href")).contains("#/commit/");
        WebElement policy = find(".results tr[data-policy='eu-residency'] a");
        assertThat(policy.getAttribute("href")).contains("#/policy/").endsWith("/eu-residency");
        // an id the log does not hold is an error on the page, not a blank one
        go("#/evaluation/00000000-0000-7000-8000-000000000000");
        assertThat(find("#main .error").getText()).isNotBlank();
        go("#/evaluation/" + id);
        find("#evaluation-id");
    }

    @Test
    @Order(7)
    @DisplayName("workloads: the clusters a key may see, a cluster's last report, and on a heartbeat policy's page "
            + "the workloads it monitors with their interval")
    void workloads() throws Exception {
        HttpResponse<String> report =
                call("PUT", "/api/v1/clusters/east-1/workloads", """
                {"tenant":"acme",
                 "pods":[{"id":"6f1c1f0e-8a4b-4c1d-9f2e-0a1b2c3d4e5f","name":"indexer-0","namespace":"search-indexing","status":"Running"},
                         {"id":"7a2d2a1f-9b5c-4d2e-8a3f-1b2c3d4e5f60","name":"chat-0","namespace":"chat","status":"Running"}],
                 "jobs":[{"id":"8b3e3b2a-0c6d-4e3f-9b4a-2c3d4e5f6071","name":"reindex","namespace":"search-indexing",
                          "priority":1,"status":"Running","pods":["6f1c1f0e-8a4b-4c1d-9f2e-0a1b2c3d4e5f"]}]}
                """, "Content-Type", "application/json");
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);

        go("#/workloads");
        WebElement row = find("#clusters tr[data-cluster='east-1']");
        assertThat(row.getText()).contains("acme").contains("2").contains("1");
        row.findElement(By.cssSelector("a")).click();
        wait.until(d -> !d.findElements(By.id("cluster-name")).isEmpty()
                && d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
        assertThat(find("#pods").getText()).contains("indexer-0").contains("chat-0");
        assertThat(find("#jobs").getText()).contains("reindex").contains("indexer-0");
        Files.write(SHOTS.resolve("workloads-cluster.png"), browser.getScreenshotAs(OutputType.BYTES));

        // the global heartbeat policy monitors every pod, every 300 s
        go("#/policy/_/checkpoint-heartbeat");
        wait.until(d -> !d.findElements(By.id("workload-counts")).isEmpty());
        assertThat(find("#workload-counts").getText()).startsWith("2 pods");
        assertThat(browser.findElements(By.cssSelector("#monitored tr[data-kind='pod']")))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.getText()).endsWith("300"));
        Files.write(SHOTS.resolve("workloads-policy.png"), browser.getScreenshotAs(OutputType.BYTES));

        // a key limited to another tenant sees no cluster of acme
        signIn("globex-key");
        go("#/workloads");
        assertThat(find("#clusters").getText()).contains("No cluster");
        signIn("admin-key");
    }

    @Test
    @Order(7)
    @DisplayName("the settings form: fields from the policy schema, kept in sync with the YAML both ways, "
            + "validated as you type with the diagnostic at the line, committed like the YAML")
    void settingsForm() throws Exception {
        go("#/policy/acme/token-limits/edit");
        WebElement editor = find("#yaml-editor");
        wait.until(d -> d.findElement(By.id("validity")).getText().equals("Valid"));
        WebElement total = find("#setting-total");
        String yamlTotal = List.of(editor.getAttribute("value").split("\n")).stream()
                .filter(l -> l.strip().startsWith("total:"))
                .findFirst()
                .orElseThrow()
                .replaceAll("^\\s*total:\\s*(\\d+).*$", "$1");
        assertThat(total.getAttribute("value")).isEqualTo(yamlTotal);

        // form -> YAML, and a value the schema refuses is diagnosed at its line
        total.clear();
        total.sendKeys("-1");
        wait.until(d -> editor.getAttribute("value").contains("    total: -1"));
        int line = List.of(editor.getAttribute("value").split("\n")).indexOf("    total: -1") + 1;
        WebElement diag = find("#diagnostics li.diagnostic[data-line='" + line + "']");
        assertThat(diag.getText()).contains("total");
        total.clear();
        total.sendKeys("70000");
        wait.until(d -> editor.getAttribute("value").contains("    total: 70000"));
        wait.until(d -> d.findElement(By.id("validity")).getText().equals("Valid"));

        // YAML -> form
        js(
                "const a = arguments[0]; a.focus(); a.value = a.value.replace('total: 70000', 'total: 80000'); a.dispatchEvent(new Event('input'));",
                editor);
        wait.until(d -> "80000".equals(d.findElement(By.id("setting-total")).getAttribute("value")));
        find("#setting-total").clear();
        find("#setting-total").sendKeys("70000");
        wait.until(d -> d.findElement(By.id("validity")).getText().equals("Valid"));
        WebElement message = find("#commit-message");
        message.clear();
        message.sendKeys("Token cap 70k, from the form");
        find("#commit-button").click();
        wait.until(d -> d.findElement(By.id("commit-result")).getText().startsWith("Committed"));
        assertThat(call("GET", "/api/v1/scopes/acme/policies/token-limits", null, "Accept", "application/json")
                        .body())
                .contains("\"total\":70000");

        // enums become selects, nested objects fieldsets
        go("#/policy/_/checkpoint-heartbeat/edit");
        WebElement heartbeat = find("#yaml-editor");
        wait.until(d -> d.findElement(By.id("validity")).getText().equals("Valid"));
        new org.openqa.selenium.support.ui.Select(find("select#setting-resource")).selectByValue("jobs");
        find("#setting-jobFilter-namespace").sendKeys("batch");
        wait.until(d -> heartbeat.getAttribute("value").contains("resource: \"jobs\"")
                && heartbeat.getAttribute("value").contains("namespace: \"batch\""));
        wait.until(d -> d.findElement(By.id("validity")).getText().equals("Valid"));
        assertThat(heartbeat.getAttribute("value")).contains("  settings:\n    interval: 300\n");

        // a list of objects: rows with add and remove
        go("#/policy/acme.search/eu-residency/edit");
        WebElement location = find("#yaml-editor");
        wait.until(d -> d.findElement(By.id("validity")).getText().equals("Valid"));
        assertThat(find("#setting-allowed-0-name").getAttribute("value")).isEqualTo("eu-central-1");
        assertThat(new org.openqa.selenium.support.ui.Select(find("select#setting-allowed-0-type"))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("location");
        find("#settings-form button.add").click();
        find("#setting-allowed-1-name").sendKeys("DE");
        new org.openqa.selenium.support.ui.Select(find("select#setting-allowed-1-type")).selectByValue("country");
        wait.until(d -> location.getAttribute("value").contains("      - name: \"DE\"\n        type: \"country\""));
        wait.until(d -> d.findElement(By.id("validity")).getText().equals("Valid"));
        find("#settings-form .item[data-index='1'] button.remove").click();
        wait.until(d -> !location.getAttribute("value").contains("DE"));
        assertThat(location.getAttribute("value")).contains("      - name: \"eu-central-1\"");
    }

    @Test
    @Order(8)
    @DisplayName("a reader sees no write control anywhere")
    void readerSeesNoWriteControl() {
        signIn("reader-key");
        for (String page : List.of(
                "#/policy/acme/token-limits",
                "#/policy/acme/token-limits/history",
                "#/scope/acme/history",
                "#/policy/acme/token-limits/edit")) {
            go(page);
            find("#main h1");
            assertThat(browser.findElements(By.cssSelector("button.write, #yaml-editor, #commit-button, #lifecycle")))
                    .as(page)
                    .isEmpty();
        }
        assertThat(find(".tabs").getText()).doesNotContain("Edit");
    }

    @Test
    @Order(9)
    @DisplayName("a tenant-limited key sees only its tenant (and global)")
    void tenantSeesOnlyItsTenant() {
        signIn("globex-key");
        assertThat(browser.findElements(By.cssSelector("#tree a[data-scope='globex']")))
                .hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#tree a[data-scope^='acme']")))
                .isEmpty();
        go("#/scope/acme");
        assertThat(find("#main .error").getText()).contains("does not exist");
        go("#/decisions");
        wait.until(d -> d.findElement(By.id("log-rows")).getText().contains("No evaluation matches."));
    }

    @Test
    @Order(10)
    @DisplayName("an XSS canary in a policy's title, description and rule message is shown as text and never runs")
    void xssCanaryDoesNotRun() {
        signIn("admin-key");
        go("#/policy/globex/xss-canary");
        assertThat(find("dd[data-key='description']").getText()).isEqualTo(CANARY);
        assertThat(find("pre.yaml").getText()).contains("<script>");
        go("#/scope/globex");
        find("#resolved details[data-policy='xss-canary'] summary").click();
        assertThat(find("#resolved details[data-policy='xss-canary']").getText())
                .contains("<script>window.__xss=2</script>");
        go("#/policy/globex/xss-canary/history");
        find("#diff table.diff");
        assertThat(
                        js(
                                "return window.__xss === undefined && document.querySelectorAll('main img, main script').length === 0"))
                .isEqualTo(true);
    }

    @Test
    @Order(11)
    @DisplayName("on a narrow window the tree stacks above the page and nothing scrolls sideways")
    void narrowWindow() throws IOException {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(480, 900));
        try {
            go("#/scope/acme.chat.support-bot.prod");
            find("#resolved details");
            WebElement tree = find("#tree");
            WebElement main = find("#main");
            assertThat(tree.getRect().getY() + tree.getRect().getHeight())
                    .isLessThanOrEqualTo(main.getRect().getY() + 1);
            Files.write(SHOTS.resolve("narrowWindow-480px.png"), browser.getScreenshotAs(OutputType.BYTES));
            assertThat(((Number)
                                    js(
                                            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                            .intValue())
                    .as("sideways overflow (px)")
                    .isLessThanOrEqualTo(1);
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }
}
