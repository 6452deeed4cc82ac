package dev.gavel.engine.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * spec of a policy file.
 *
 * @param resourceTypes what the policy applies to; empty means every resource type
 * @param settings      the typed view of {@code rawSettings} for {@code type}
 * @param rawSettings   settings as written (a copy; never mutated), kept for the deep merge across scopes
 * @param rules         extra rules for built-in types, the decisions of custom ones; names are unique
 * @param promotion     when the policy is ready to be promoted a step; absent: {@link PromotionRule#DEFAULT}
 */
public record Spec(
        PolicyType type,
        Enforcement enforcement,
        Status status,
        boolean locked,
        List<ResourceType> resourceTypes,
        Settings settings,
        ObjectNode rawSettings,
        List<Rule> rules,
        Optional<CircuitBreaker> circuitBreaker,
        Optional<PromotionRule> promotion) {

    public Spec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(enforcement, "enforcement");
        status = status == null ? Status.ACTIVE : status;
        resourceTypes = resourceTypes == null ? List.of() : List.copyOf(resourceTypes);
        rawSettings = rawSettings == null ? JsonNodeFactory.instance.objectNode() : rawSettings.deepCopy();
        settings = settings == null ? Settings.fromJson(type, rawSettings) : settings;
        if (settings.type() != type) {
            throw new IllegalArgumentException("settings are for " + settings.type() + ", spec.type is " + type);
        }
        rules = rules == null ? List.of() : List.copyOf(rules);
        Set<String> seen = new HashSet<>();
        for (Rule r : rules) {
            if (!seen.add(r.name())) {
                throw new IllegalArgumentException("duplicate rule name '" + r.name() + "'");
            }
        }
        circuitBreaker = circuitBreaker == null ? Optional.empty() : circuitBreaker;
        promotion = promotion == null ? Optional.empty() : promotion;
    }

    /** A spec without a promotion rule of its own. */
    public Spec(
            PolicyType type,
            Enforcement enforcement,
            Status status,
            boolean locked,
            List<ResourceType> resourceTypes,
            Settings settings,
            ObjectNode rawSettings,
            List<Rule> rules,
            Optional<CircuitBreaker> circuitBreaker) {
        this(
                type,
                enforcement,
                status,
                locked,
                resourceTypes,
                settings,
                rawSettings,
                rules,
                circuitBreaker,
                Optional.empty());
    }

    /** The promotion rule the policy states, else the default one. */
    public PromotionRule promotionRule() {
        return promotion.orElse(PromotionRule.DEFAULT);
    }

    public Spec withPromotion(Optional<PromotionRule> p) {
        return new Spec(
                type, enforcement, status, locked, resourceTypes, settings, rawSettings, rules, circuitBreaker, p);
    }

    /** A spec whose typed settings are built from {@code rawSettings}. */
    public static Spec of(
            PolicyType type,
            Enforcement enforcement,
            Status status,
            boolean locked,
            List<ResourceType> resourceTypes,
            ObjectNode rawSettings,
            List<Rule> rules,
            Optional<CircuitBreaker> circuitBreaker) {
        return new Spec(type, enforcement, status, locked, resourceTypes, null, rawSettings, rules, circuitBreaker);
    }

    /** A copy of the settings as written; callers may change the copy. */
    @Override
    public ObjectNode rawSettings() {
        return rawSettings.deepCopy();
    }

    public boolean appliesTo(ResourceType resourceType) {
        return resourceTypes.isEmpty() || resourceTypes.contains(resourceType);
    }

    public Optional<Rule> rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Spec withEnforcement(Enforcement e) {
        return new Spec(
                type, e, status, locked, resourceTypes, settings, rawSettings, rules, circuitBreaker, promotion);
    }

    public Spec withStatus(Status s) {
        return new Spec(
                type, enforcement, s, locked, resourceTypes, settings, rawSettings, rules, circuitBreaker, promotion);
    }

    public Spec withRawSettings(ObjectNode raw) {
        return new Spec(type, enforcement, status, locked, resourceTypes, null, raw, rules, circuitBreaker, promotion);
    }

    public Spec withRules(List<Rule> newRules) {
        return new Spec(
                type,
                enforcement,
                status,
                locked,
                resourceTypes,
                settings,
                rawSettings,
                newRules,
                circuitBreaker,
                promotion);
    }
}
