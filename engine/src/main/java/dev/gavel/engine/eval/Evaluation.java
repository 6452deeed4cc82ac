package dev.gavel.engine.eval;

import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import java.util.List;

/**
 * The answer to one request at one commit.
 *
 * @param matches every rule that matched, audit ones included
 * @param missing fields applicable policies need and the request lacks (the decision was made without
 *     those policies' say); a caller should refuse the request when one of them {@link MissingField#refuses()}
 */
public record Evaluation(Decision decision, String commit, List<Match> matches, List<MissingField> missing) {
    public Evaluation {
        matches = List.copyOf(matches);
        missing = List.copyOf(missing);
    }

    /** The missing fields for which the request must be refused (those of warn and block policies). */
    public List<MissingField> refusing() {
        return missing.stream().filter(MissingField::refuses).toList();
    }

    /**
     * DESIGN.md section 3: deny if a rule of a block policy denies; warn if a rule denies under warn,
     * or a rule's effect is warn (under warn or block); else allow. Audit never changes the decision.
     */
    public static Decision decide(List<Match> matches) {
        Decision decision = Decision.ALLOW;
        for (Match m : matches) {
            if (m.enforcement() == Enforcement.BLOCK && m.effect() == Effect.DENY) {
                return Decision.DENY;
            }
            if (m.enforcement() == Enforcement.BLOCK || m.enforcement() == Enforcement.WARN) {
                decision = Decision.WARN;
            }
        }
        return decision;
    }
}
