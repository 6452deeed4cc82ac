package dev.gavel.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModelValuesTest {
    @Test
    @DisplayName("enforcement is ordered off < audit < warn < block; next/previous move one step")
    void enforcementOrder() {
        assertThat(Enforcement.OFF.next()).contains(Enforcement.AUDIT);
        assertThat(Enforcement.WARN.next()).contains(Enforcement.BLOCK);
        assertThat(Enforcement.BLOCK.next()).isEmpty();
        assertThat(Enforcement.AUDIT.previous()).contains(Enforcement.OFF);
        assertThat(Enforcement.OFF.previous()).isEmpty();
        assertThat(Enforcement.AUDIT.isWeakerThan(Enforcement.WARN)).isTrue();
        assertThat(Enforcement.BLOCK.isWeakerThan(Enforcement.WARN)).isFalse();
        assertThat(Enforcement.fromValue("block")).contains(Enforcement.BLOCK);
        assertThat(Enforcement.fromValue("BLOCK")).isEmpty();
        assertThat(PolicyType.fromValue("maxTokens")).contains(PolicyType.MAX_TOKENS);
        assertThat(PolicyType.MAX_TOKENS.value()).isEqualTo("maxTokens");
    }

    @Test
    @DisplayName("names: lowercase letters, digits, inner dashes, 1 to 49 characters")
    void names() {
        assertThat(Names.isValid("a")).isTrue();
        assertThat(Names.isValid("support-bot")).isTrue();
        assertThat(Names.isValid("a".repeat(49))).isTrue();
        assertThat(Names.isValid("a".repeat(50))).isFalse();
        assertThat(Names.isValid("-a")).isFalse();
        assertThat(Names.isValid("a-")).isFalse();
        assertThat(Names.isValid("")).isFalse();
        assertThat(Names.isValid(null)).isFalse();
        assertThat(Names.isValid("café")).isFalse();
        assertThatThrownBy(() -> Names.requireValid("policy name", "a\nb"))
                .hasMessageContaining("policy name 'a\\u000ab' is not a valid name");
    }

    @Test
    @DisplayName("next review is lastReviewed + reviewEvery; overdue only strictly after it")
    void review() {
        Metadata m = new Metadata(
                "doc",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                null,
                Optional.of(Period.ofDays(30)),
                Optional.of(LocalDate.of(2026, 1, 1)));
        assertThat(m.nextReview()).contains(LocalDate.of(2026, 1, 31));
        assertThat(m.isReviewOverdue(LocalDate.of(2026, 1, 31))).isFalse();
        assertThat(m.isReviewOverdue(LocalDate.of(2026, 2, 1))).isTrue();
        assertThat(Metadata.named("x").isReviewOverdue(LocalDate.MAX)).isFalse();
        assertThat(m.withLastReviewed(LocalDate.of(2026, 2, 1)).nextReview()).contains(LocalDate.of(2026, 3, 3));
    }

    @Test
    @DisplayName("repository settings reject duplicate levels, too many levels and bad branches")
    void repositorySettings() {
        assertThatThrownBy(() -> new RepositorySettings(List.of("a", "a"), "main"))
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> new RepositorySettings(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"), "main"))
                .hasMessageContaining("between 1 and 8");
        assertThat(RepositorySettings.branchProblem("main")).isEmpty();
        assertThat(RepositorySettings.branchProblem("release/2026.11")).isEmpty();
        assertThat(RepositorySettings.branchProblem("a..b")).isPresent();
        assertThat(RepositorySettings.branchProblem("x.lock")).isPresent();
        assertThat(RepositorySettings.branchProblem("a b")).isPresent();
        assertThat(RepositorySettings.DEFAULTS.levelName(1)).contains("tenant");
        assertThat(RepositorySettings.DEFAULTS.levelName(5)).isEmpty();
    }

    @Test
    @DisplayName("typed settings come from (merged) JSON; raw settings are copied, not shared")
    void settingsFromJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var raw = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree("{\"allowed\": [{\"type\": \"gpu\", \"name\": \"h100\"}, {\"type\": \"cpu\"}]}");
        Spec spec = Spec.of(PolicyType.FLAVOR, Enforcement.WARN, null, false, null, raw, null, null);
        assertThat(spec.settings())
                .isEqualTo(new Settings.Flavor(List.of(
                        new Settings.Flavor.Allowed(Optional.of("h100"), FlavorKind.GPU),
                        new Settings.Flavor.Allowed(Optional.empty(), FlavorKind.CPU))));
        raw.removeAll();
        assertThat(spec.rawSettings().size()).isEqualTo(1);
        spec.rawSettings().removeAll();
        assertThat(spec.rawSettings().size()).isEqualTo(1);

        assertThat(Settings.fromJson(
                        PolicyType.SLA, json.readTree("{\"priority\": \"P1\", \"businessHoursOnly\": true}")))
                .isEqualTo(new Settings.Sla(
                        Optional.of("P1"), List.of(), Optional.empty(), Optional.empty(), Optional.of(true)));
        assertThat(Settings.fromJson(PolicyType.CUSTOM, null)).isEqualTo(new Settings.Custom());
        assertThatThrownBy(() -> Settings.fromJson(PolicyType.CUSTOM, json.readTree("{\"a\": 1}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Settings.fromJson(
                        PolicyType.LOCATION, json.readTree("{\"allowed\": [{\"name\": \"x\", \"type\": \"city\"}]}")))
                .hasMessageContaining("type 'city' is not allowed");
    }

    @Test
    @DisplayName("a spec refuses duplicate rule names and settings of another type")
    void specInvariants() {
        Rule r = new Rule("r", "action == \"x\"", Effect.DENY, "m");
        assertThatThrownBy(() ->
                        Spec.of(PolicyType.CUSTOM, Enforcement.WARN, null, false, null, null, List.of(r, r), null))
                .hasMessageContaining("duplicate rule name 'r'");
        assertThatThrownBy(() -> new Spec(
                        PolicyType.CUSTOM,
                        Enforcement.WARN,
                        null,
                        false,
                        null,
                        new Settings.Location(List.of()),
                        null,
                        null,
                        null))
                .hasMessageContaining("settings are for location");
        assertThat(new Rule("r", "a", Effect.DENY, "m", new SourceLocation("f", 3, 4)))
                .isEqualTo(new Rule("r", "a", Effect.DENY, "m"));
    }
}
