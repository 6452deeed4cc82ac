package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.model.Category;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.FlavorKind;
import dev.gavel.engine.model.HeartbeatResource;
import dev.gavel.engine.model.LocationKind;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.PolicyTestCase;
import dev.gavel.engine.model.PolicyTestSuite;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.model.ResourceType;
import dev.gavel.engine.model.Rule;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.model.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The template policies repository ({@code ../policies-repo-template}) parses and means what it says. */
class TemplateRepositoryTest {
    static final Path TEMPLATE = Path.of("..", "policies-repo-template");
    static final Path ENGINE_SCHEMAS = Path.of("src/main/resources/gavel/schema");

    /** Repository-relative path -> parsed policy. */
    static final Map<String, Policy> POLICIES = new TreeMap<>();

    @BeforeAll
    static void parseAll() throws IOException {
        for (Path p : policyFiles()) {
            String rel = TEMPLATE.relativize(p).toString().replace('\\', '/');
            ParseResult<Policy> r = PolicyParser.parse(Files.readAllBytes(p), rel);
            assertThat(r.diagnostics()).as("diagnostics of %s", rel).isEmpty();
            POLICIES.put(rel, r.valueIfValid().orElseThrow());
        }
    }

    static List<Path> policyFiles() throws IOException {
        try (Stream<Path> s = Files.walk(TEMPLATE.resolve("policies"))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static Policy policy(String path) {
        assertThat(POLICIES).containsKey(path);
        return POLICIES.get(path);
    }

    @Test
    @DisplayName("every file under policies/ is a valid policy whose name and scope follow from its path")
    void everyPolicyParses() {
        assertThat(POLICIES).hasSizeGreaterThanOrEqualTo(18);
        POLICIES.forEach(
                (path, policy) -> assertThat(PolicyPath.parse(path).name()).isEqualTo(policy.name()));
        assertThat(POLICIES.values()).extracting(Policy::type).contains(PolicyType.values());
    }

    @Test
    @DisplayName("every template file starts with the yaml-language-server schema line pointing at schema/")
    void schemaComments() throws IOException {
        for (Path p : policyFiles()) {
            String first = Files.readAllLines(p).get(0);
            String rel = TEMPLATE.relativize(p).toString().replace('\\', '/');
            assertThat(first).isEqualTo(PolicyWriter.SCHEMA_COMMENT_PREFIX + PolicyWriter.schemaRefFor(rel));
            String ref = first.substring(PolicyWriter.SCHEMA_COMMENT_PREFIX.length());
            assertThat(p.getParent().resolve(ref).normalize()).exists();
        }
        assertThat(Files.readAllLines(TEMPLATE.resolve("gavel.yaml")).get(0))
                .isEqualTo("# yaml-language-server: $schema=./schema/repository.schema.json");
    }

    @Test
    @DisplayName("the template's schema copies are byte-identical to the engine's schemas")
    void schemaCopiesDoNotDrift() throws IOException {
        List<Path> engine;
        try (Stream<Path> s = Files.list(ENGINE_SCHEMAS)) {
            engine = s.sorted().toList();
        }
        assertThat(engine).hasSize(3);
        for (Path e : engine) {
            Path copy = TEMPLATE.resolve("schema").resolve(e.getFileName().toString());
            assertThat(copy).exists();
            assertThat(Files.readAllBytes(copy)).as("%s", copy).isEqualTo(Files.readAllBytes(e));
        }
        try (Stream<Path> s = Files.list(TEMPLATE.resolve("schema"))) {
            assertThat(s.count()).isEqualTo(engine.size());
        }
    }

    @Test
    @DisplayName("eu-residency allows the EU continent for models, agents and sandboxes, blocking")
    void euResidency() {
        Policy p = policy("policies/eu-residency.yaml");
        assertThat(p.metadata().displayName()).contains("EU data residency");
        assertThat(p.metadata().category()).contains(Category.COMPLIANCE);
        assertThat(p.metadata().labels()).containsEntry("regulation", "gdpr").containsEntry("team", "platform");
        assertThat(p.spec().enforcement()).isEqualTo(Enforcement.BLOCK);
        assertThat(p.spec().resourceTypes())
                .containsExactly(ResourceType.MODEL, ResourceType.AGENT, ResourceType.SANDBOX);
        assertThat(p.spec().appliesTo(ResourceType.JOB)).isFalse();
        assertThat(p.spec().settings())
                .isEqualTo(new Settings.Location(List.of(new Settings.Location.Allowed("EU", LocationKind.CONTINENT))));
        assertThat(p.spec().rawSettings().at("/allowed/0/name").asText()).isEqualTo("EU");

        Settings.Location search = (Settings.Location)
                policy("policies/acme/search/eu-residency.yaml").spec().settings();
        assertThat(search.allowed())
                .containsExactly(new Settings.Location.Allowed("eu-central-1", LocationKind.LOCATION));
        Settings.Location globex = (Settings.Location)
                policy("policies/globex/eu-residency.yaml").spec().settings();
        assertThat(globex.allowed()).extracting(Settings.Location.Allowed::name).containsExactly("NA", "EU");
    }

    @Test
    @DisplayName("no-sanctioned-regions is a locked, blocking custom policy with one deny rule")
    void lockedGuardrail() {
        Policy p = policy("policies/no-sanctioned-regions.yaml");
        assertThat(p.type()).isEqualTo(PolicyType.CUSTOM);
        assertThat(p.spec().locked()).isTrue();
        assertThat(p.spec().enforcement()).isEqualTo(Enforcement.BLOCK);
        assertThat(p.spec().settings()).isEqualTo(new Settings.Custom());
        assertThat(p.spec().rules()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("sanctioned-country");
            assertThat(r.when()).isEqualTo("location.country in [\"CU\", \"IR\", \"KP\", \"RU\", \"SY\"]");
            assertThat(r.effect().value()).isEqualTo("deny");
        });
        assertThat(p.metadata().description().orElseThrow())
                .startsWith("A global guardrail. It is locked,")
                .doesNotContain("\n");
        assertThat(POLICIES.values()).filteredOn(q -> q.spec().locked()).hasSize(1);
    }

    @Test
    @DisplayName("token limits: global defaults with a circuit breaker, lower limits in acme and the prod bot")
    void tokenLimits() {
        Policy global = policy("policies/token-limits.yaml");
        assertThat(global.spec().settings())
                .isEqualTo(new Settings.MaxTokens(
                        Optional.of(100000L),
                        Optional.of(16000L),
                        Optional.of(100000L),
                        Optional.of(50L),
                        Optional.of("request"),
                        Optional.of(1000L)));
        assertThat(global.spec().circuitBreaker()).hasValueSatisfying(cb -> {
            assertThat(cb.maxDenyRate()).isEqualTo(0.5);
            assertThat(cb.window()).isEqualTo(Duration.ofMinutes(5));
            assertThat(cb.minRequests()).isEqualTo(100);
            assertThat(cb.maxErrors()).isEmpty();
        });
        Settings.MaxTokens acme = (Settings.MaxTokens)
                policy("policies/acme/token-limits.yaml").spec().settings();
        assertThat(acme.total()).contains(50000L);
        assertThat(acme.input()).isEmpty();
        Settings.MaxTokens bot = (Settings.MaxTokens) policy("policies/acme/chat/support-bot/prod/token-limits.yaml")
                .spec()
                .settings();
        assertThat(List.of(bot.input(), bot.output(), bot.total()))
                .containsExactly(Optional.of(4000L), Optional.of(1000L), Optional.of(5000L));
        assertThat(policy("policies/acme/chat/support-bot/dev/token-limits.yaml")
                        .spec()
                        .enforcement())
                .isEqualTo(Enforcement.WARN);
    }

    @Test
    @DisplayName("flavors: CPU only globally, H100/A100 GPUs for the support bot in prod")
    void flavors() {
        Settings.Flavor global =
                (Settings.Flavor) policy("policies/allowed-flavors.yaml").spec().settings();
        assertThat(global.allowed()).containsExactly(new Settings.Flavor.Allowed(Optional.empty(), FlavorKind.CPU));
        Settings.Flavor prod = (Settings.Flavor) policy("policies/acme/chat/support-bot/prod/allowed-flavors.yaml")
                .spec()
                .settings();
        assertThat(prod.allowed())
                .filteredOn(a -> a.type() == FlavorKind.GPU)
                .extracting(a -> a.name().orElseThrow())
                .containsExactly("h100", "a100");
    }

    @Test
    @DisplayName("heartbeat, SLA and document settings are typed")
    void settingsOnlyTypes() {
        Settings.Heartbeat hb = (Settings.Heartbeat)
                policy("policies/acme/search/checkpoint-heartbeat.yaml").spec().settings();
        assertThat(hb.interval()).contains(120L);
        assertThat(hb.resource()).contains(HeartbeatResource.JOBS);
        assertThat(hb.jobFilter())
                .contains(new Settings.Heartbeat.JobFilter(Optional.of("search-indexing"), Optional.of(1L)));

        Settings.Sla p3 = (Settings.Sla) policy("policies/sla-p3.yaml").spec().settings();
        assertThat(p3.priority()).contains("P3");
        assertThat(p3.appliesTo()).containsExactly("question", "service-request");
        assertThat(p3.firstResponseMinutes()).contains(480L);
        assertThat(p3.businessHoursOnly()).contains(true);

        Policy aup = policy("policies/acceptable-use.yaml");
        Settings.Document doc = (Settings.Document) aup.spec().settings();
        assertThat(doc.version()).contains("2.1.0");
        assertThat(doc.publishedAt())
                .contains(LocalDate.of(2026, 5, 4).atStartOfDay().toInstant(java.time.ZoneOffset.UTC));
        assertThat(doc.body().orElseThrow())
                .startsWith("# Acceptable use of AI agents\n\n1. Agents act")
                .endsWith("legal@example.com.\n");
    }

    @Test
    @DisplayName("review cadence: acceptable-use is overdue on 2026-11-23, the other documents are not")
    void reviewCadence() {
        Policy aup = policy("policies/acceptable-use.yaml");
        assertThat(aup.metadata().reviewEvery()).contains(Period.ofDays(180));
        assertThat(aup.metadata().nextReview()).contains(LocalDate.of(2026, 10, 28));
        LocalDate demoDay = LocalDate.of(2026, 11, 23);
        assertThat(POLICIES.values())
                .filteredOn(p -> p.metadata().isReviewOverdue(demoDay))
                .extracting(Policy::name)
                .containsExactly("acceptable-use");
        assertThat(policy("policies/acme/model-card-standard.yaml").metadata().nextReview())
                .contains(LocalDate.of(2027, 9, 15));
    }

    @Test
    @DisplayName("agent-guardrails rules keep their conditions and the position of each condition")
    void guardrailRules() throws IOException {
        Policy p = policy("policies/agent-guardrails.yaml");
        assertThat(p.spec().enforcement()).isEqualTo(Enforcement.WARN);
        assertThat(p.spec().rules())
                .extracting(Rule::name)
                .containsExactly("no-gpu-in-dev", "sandbox-no-egress", "experimental-in-prod");
        List<String> lines = Files.readAllLines(TEMPLATE.resolve("policies/agent-guardrails.yaml"));
        for (Rule r : p.spec().rules()) {
            String line = lines.get(r.whenLocation().line() - 1);
            assertThat(line.substring(r.whenLocation().column() - 1)).isEqualTo(r.when());
            assertThat(r.whenLocation().file()).isEqualTo("policies/agent-guardrails.yaml");
        }
        assertThat(policy("policies/acme/chat/weekend-freeze.yaml").spec().status())
                .isEqualTo(Status.PAUSED);
    }

    @Test
    @DisplayName("every template policy survives PolicyWriter and parses back equal")
    void writerRoundTrip() {
        POLICIES.forEach((path, policy) -> {
            String yaml = PolicyWriter.toYaml(policy, path);
            ParseResult<Policy> again = PolicyParser.parse(yaml.getBytes(StandardCharsets.UTF_8), path);
            assertThat(again.diagnostics()).as("%s rewritten:%n%s", path, yaml).isEmpty();
            assertThat(again.valueIfValid()).as(path).contains(policy);
            assertThat(PolicyWriter.toYaml(again.valueIfValid().orElseThrow())).isEqualTo(PolicyWriter.toYaml(policy));
        });
    }

    @Test
    @DisplayName("gavel.yaml parses to the default levels and branch")
    void repositorySettings() throws IOException {
        ParseResult<RepositorySettings> r =
                RepositorySettingsParser.parse(Files.readAllBytes(TEMPLATE.resolve("gavel.yaml")), "gavel.yaml");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.valueIfValid()).contains(RepositorySettings.DEFAULTS);
    }

    @Test
    @DisplayName("every file in tests/ is a valid test suite with the decisions the policies imply")
    void testSuites() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(TEMPLATE.resolve("tests"))) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        int cases = 0;
        for (Path f : files) {
            String rel = "tests/" + f.getFileName();
            ParseResult<PolicyTestSuite> r = TestSuiteParser.parse(Files.readAllBytes(f), rel);
            assertThat(r.diagnostics()).as(rel).isEmpty();
            PolicyTestSuite suite = r.valueIfValid().orElseThrow();
            for (PolicyTestCase c : suite.tests()) {
                cases++;
                // every policy a test expects to match exists somewhere in the repository
                c.matched()
                        .orElse(Set.of())
                        .forEach(name -> assertThat(POLICIES.values())
                                .extracting(Policy::name)
                                .contains(name));
                assertThat(c.location().file()).isEqualTo(rel);
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(15);

        PolicyTestSuite residency = TestSuiteParser.parse(
                        Files.readAllBytes(TEMPLATE.resolve("tests/residency.test.yaml")), "tests/residency.test.yaml")
                .valueIfValid()
                .orElseThrow();
        PolicyTestCase usEast = residency.tests().get(1);
        assertThat(usEast.name()).isEqualTo("us-east is denied for the acme support bot in prod");
        assertThat(usEast.scope()).isEqualTo(ScopePath.parse("acme.chat.support-bot.prod"));
        assertThat(usEast.request().at("/location/country").asText()).isEqualTo("US");
        assertThat(usEast.request().at("/tokens/input").asInt()).isEqualTo(1000);
        assertThat(usEast.decision()).isEqualTo(Decision.DENY);
        assertThat(usEast.matched()).contains(Set.of("eu-residency"));
    }
}
