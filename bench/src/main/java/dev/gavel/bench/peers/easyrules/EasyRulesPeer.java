package dev.gavel.bench.peers.easyrules;

import dev.gavel.bench.peers.ExpressionWriter;
import dev.gavel.bench.peers.FlatPolicy;
import dev.gavel.bench.peers.FlatRepository;
import dev.gavel.bench.peers.Outcome;
import dev.gavel.bench.peers.Peer;
import dev.gavel.bench.peers.RequestMap;
import dev.gavel.engine.eval.Request;
import java.util.ArrayList;
import java.util.List;
import org.jeasy.rules.api.Facts;
import org.jeasy.rules.api.Rule;
import org.jeasy.rules.api.RuleListener;
import org.jeasy.rules.api.Rules;
import org.jeasy.rules.core.DefaultRulesEngine;
import org.jeasy.rules.core.RuleBuilder;
import org.jeasy.rules.mvel.MVELCondition;

/**
 * Easy Rules with MVEL conditions: one rule per flat rule, its condition the scope prefix, the
 * exclusions of deeper overrides, the resource types and the rule's conditions in one MVEL expression
 * over the fact {@code r} (a {@link RequestMap}). The action records the match in the fact
 * {@code matched}; the outcome is the strongest one recorded. {@link DefaultRulesEngine} fires every
 * rule whose condition holds, like Gavel reports every match.
 */
public final class EasyRulesPeer implements Peer {
    static final ExpressionWriter MVEL = new ExpressionWriter() {
        @Override
        protected String entry(String key) {
            return "r." + key;
        }

        @Override
        protected String nested(String map, String key) {
            return "r." + map + "[" + javaString(key) + "]";
        }

        @Override
        protected String integer(long value) {
            return value + "L";
        }

        @Override
        protected String matches(String value, String re2) {
            // MVEL's ~= is java.util.regex; anchored so that a search and a whole match agree.
            return value + " ~= " + javaString("^(?:" + re2 + ")$");
        }
    };

    /** What the actions of one firing record. */
    static final class Matched {
        Outcome outcome = Outcome.ALLOW;
        final List<String> ids = new ArrayList<>();
    }

    private final Rules rules = new Rules();
    private final DefaultRulesEngine engine = new DefaultRulesEngine();

    public EasyRulesPeer(FlatRepository repository) {
        // Easy Rules counts a condition that throws as false; here that would hide a translation bug.
        engine.registerRuleListener(new RuleListener() {
            @Override
            public void onEvaluationError(Rule rule, Facts facts, Exception exception) {
                throw new IllegalStateException(
                        "MVEL condition of " + rule.getName() + " failed: " + exception, exception);
            }
        });
        for (FlatPolicy p : repository.policies()) {
            for (FlatPolicy.Rule r : p.rules()) {
                Outcome outcome = r.outcome();
                String id = r.id();
                rules.register(new RuleBuilder()
                        .name(id)
                        .description(p.name() + "/" + r.name())
                        .when(new MVELCondition(MVEL.conjunction(p, r, true)))
                        .then(facts -> {
                            Matched m = facts.get("matched");
                            m.outcome = m.outcome.atLeast(outcome);
                            m.ids.add(id);
                        })
                        .build());
            }
        }
    }

    @Override
    public String name() {
        return "easyrules";
    }

    @Override
    public Outcome decide(Request request) {
        return fire(request).outcome;
    }

    @Override
    public String explain(Request request) {
        Matched m = fire(request);
        return m.outcome.label() + " " + m.ids;
    }

    private Matched fire(Request request) {
        Facts facts = new Facts();
        facts.put("r", RequestMap.of(request));
        Matched matched = new Matched();
        facts.put("matched", matched);
        engine.fire(rules, facts);
        return matched;
    }
}
