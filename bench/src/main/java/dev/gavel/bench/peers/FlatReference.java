package dev.gavel.bench.peers;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.expr.ExprInterpreter;
import dev.gavel.engine.expr.Field;
import dev.gavel.engine.expr.FieldRef;
import dev.gavel.engine.expr.Position;
import java.util.ArrayList;
import java.util.List;

/**
 * The flat policies evaluated directly in Java, with Gavel's reference condition interpreter. Not a
 * peer to time: when a peer disagrees with Gavel, this says whether the flattening or the peer's
 * translation is wrong.
 */
public final class FlatReference implements Peer {
    private final List<FlatPolicy> policies;

    public FlatReference(FlatRepository repository) {
        this.policies = repository.policies();
    }

    @Override
    public String name() {
        return "flat-reference";
    }

    @Override
    public Outcome decide(Request request) {
        Outcome outcome = Outcome.ALLOW;
        for (FlatPolicy.Rule r : matches(request)) {
            outcome = outcome.atLeast(r.outcome());
        }
        return outcome;
    }

    @Override
    public String explain(Request request) {
        return decide(request).label() + " "
                + matches(request).stream().map(FlatPolicy.Rule::id).toList();
    }

    public List<FlatPolicy.Rule> matches(Request request) {
        List<FlatPolicy.Rule> out = new ArrayList<>();
        for (FlatPolicy p : policies) {
            if (p.rules().isEmpty() || !p.appliesAt(request.scope())) {
                continue;
            }
            if (!p.resourceTypes().isEmpty()
                    && !p.resourceTypes().contains(request.resource().type())) {
                continue;
            }
            for (FlatPolicy.Rule r : p.rules()) {
                if (r.when().stream().allMatch(c -> holds(c, request))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    static boolean holds(Condition c, Request request) {
        if (c instanceof Condition.Test t) {
            return ExprInterpreter.eval(t.expr(), request);
        }
        if (c instanceof Condition.AnyPresent a) {
            return a.fields().stream().anyMatch(f -> value(f, request) != null);
        }
        if (c instanceof Condition.AllAbsent a) {
            return a.fields().stream().allMatch(f -> value(f, request) == null);
        }
        if (c instanceof Condition.AnyAbsent a) {
            return a.fields().stream().anyMatch(f -> value(f, request) == null);
        }
        Condition.RatioOver ratio = (Condition.RatioOver) c;
        Long in = request.tokens().input();
        Long out = request.tokens().output();
        return in != null && out != null && in > ratio.ratio() * out;
    }

    /** A fixed field's value in the request, or null: read as Gavel's reference interpreter reads it. */
    public static Object value(Field field, Request request) {
        return ExprInterpreter.value(new FieldRef.Fixed(field, Position.NONE), request);
    }
}
