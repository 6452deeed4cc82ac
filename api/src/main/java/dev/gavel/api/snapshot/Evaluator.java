package dev.gavel.api.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.http.FieldError;
import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.MissingField;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.eval.RequestReader;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one evaluate request ({@code {scope, resource, action, location, flavor, tokens, attributes}}) and
 * decides it on a snapshot. Shared by the server and {@code gavel eval}: the same input gets the same
 * answer, or the same field errors. A request that applicable warn or block policies cannot decide (missing
 * fields) is rejected, never answered with a silent allow; audit policies and policies whose breaker is open
 * cannot change a decision, so what they lack is reported with the decision instead.
 */
public final class Evaluator {
    private Evaluator() {}

    /** What became of one request. */
    public sealed interface Outcome permits Decided, Rejected {}

    /** @param durationMicros time spent deciding (reading and matching) */
    public record Decided(ScopePath scope, Request request, Evaluation evaluation, long durationMicros)
            implements Outcome {}

    /**
     * The request is not decidable: each error names its field (422).
     *
     * @param failed when the request was read but policies could not evaluate it: what they lacked, for
     *     their circuit breakers to count
     */
    public record Rejected(List<FieldError> errors, Optional<PolicyFailures> failed) implements Outcome {
        public Rejected {
            errors = List.copyOf(errors);
        }

        Rejected(List<FieldError> errors) {
            this(errors, Optional.empty());
        }
    }

    /** Policies that could not evaluate a request (it lacks fields they need). */
    public record PolicyFailures(ScopePath scope, Request request, List<MissingField> missing) {
        public PolicyFailures {
            missing = List.copyOf(missing);
        }
    }

    /**
     * Reads the scope of a request: {@code scope} is required (dotted; {@code ""} or {@code _} for global),
     * because a runtime that forgot it would silently get only the global policies.
     */
    public static ScopeOrErrors scope(JsonNode body, String prefix) {
        if (body == null || !body.isObject()) {
            return new ScopeOrErrors(
                    Optional.empty(),
                    List.of(FieldError.of(
                            prefix.isEmpty() ? "body" : strip(prefix), "the request must be a JSON object")));
        }
        JsonNode s = body.get("scope");
        if (s == null || s.isNull()) {
            return new ScopeOrErrors(
                    Optional.empty(),
                    List.of(FieldError.of(
                            prefix + "scope",
                            "required: the dotted scope the request is made in (\"\" or _ for the global scope)")));
        }
        if (!s.isTextual()) {
            return new ScopeOrErrors(Optional.empty(), List.of(FieldError.of(prefix + "scope", "expected a string")));
        }
        try {
            return new ScopeOrErrors(Optional.of(ScopePath.fromUrl(s.textValue().strip())), List.of());
        } catch (IllegalArgumentException e) {
            return new ScopeOrErrors(
                    Optional.empty(),
                    List.of(FieldError.of(
                            prefix + "scope", "'" + Names.printable(s.textValue()) + "': " + e.getMessage())));
        }
    }

    public record ScopeOrErrors(Optional<ScopePath> scope, List<FieldError> errors) {}

    /**
     * Decides {@code body} at {@code scope} on {@code snapshot}.
     *
     * @param prefix put before every error's field, e.g. {@code requests[3].} in a batch
     */
    public static Outcome evaluate(
            PolicySnapshot snapshot, ScopePath scope, JsonNode body, CircuitBreakers breakers, String prefix) {
        long start = System.nanoTime();
        RequestReader.Result read =
                RequestReader.read(scope, body, snapshot.settings().levels().size());
        if (read instanceof RequestReader.Invalid invalid) {
            List<FieldError> errors = new ArrayList<>();
            for (RequestReader.FieldError e : invalid.errors()) {
                String field = e.field().isEmpty() ? strip(prefix) : prefix + e.field();
                String message = e.field().equals("scope")
                        ? e.message() + " ("
                                + String.join(", ", snapshot.settings().levels()) + ")"
                        : e.message();
                errors.add(FieldError.of(field.isEmpty() ? "body" : field, message));
            }
            return new Rejected(errors);
        }
        Request request = ((RequestReader.Read) read).request();
        Evaluation evaluation = snapshot.evaluate(request, breakers);
        List<MissingField> refusing = evaluation.refusing();
        if (!refusing.isEmpty()) {
            List<FieldError> errors = new ArrayList<>();
            for (MissingField m : refusing) {
                errors.add(FieldError.of(
                        prefix + m.field(),
                        "needed by policy '" + m.policy() + "' (defined at "
                                + (m.definedAt().isGlobal()
                                        ? "the global scope"
                                        : m.definedAt().dotted()) + "): " + m.message()));
            }
            return new Rejected(errors, Optional.of(new PolicyFailures(scope, request, evaluation.missing())));
        }
        return new Decided(scope, request, evaluation, (System.nanoTime() - start) / 1_000);
    }

    private static String strip(String prefix) {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
