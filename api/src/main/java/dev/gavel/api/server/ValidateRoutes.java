package dev.gavel.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.api.wire.DiagnosticBody;
import dev.gavel.api.wire.TemplateList;
import dev.gavel.api.wire.ValidationResult;
import dev.gavel.engine.expr.ConditionError;
import dev.gavel.engine.expr.ConditionResult;
import dev.gavel.engine.expr.Conditions;
import dev.gavel.engine.expr.RequestSchema;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.store.git.GitPolicyRepository;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Authoring help: validation without a commit, and one example per built-in type. */
final class ValidateRoutes {
    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    private volatile TemplateList templates;

    ValidateRoutes(GitPolicyRepository repository, SnapshotService snapshots) {
        this.repository = repository;
        this.snapshots = snapshots;
    }

    /**
     * A policy document (YAML or JSON), or {@code {"conditions": "..."}} / {@code {"conditions": [...]}}.
     * With {@code ?scope=}, the document is also compiled into the head's tree at that scope, which
     * catches what one file cannot show (a locked policy weakened, for one).
     */
    void validate(Context ctx) {
        byte[] body = RequestInput.body(ctx);
        if (body.length == 0) {
            throw ApiProblem.badRequest(
                    "the request needs a policy document or {\"conditions\": ...}", FieldError.of("body", "empty"));
        }
        RepositorySettings settings =
                snapshots.current().map(PolicySnapshot::settings).orElse(RepositorySettings.DEFAULTS);
        Optional<JsonNode> conditions = conditionsOf(body);
        List<Diagnostic> diagnostics = new ArrayList<>();
        JsonNode policy = null;
        if (conditions.isPresent()) {
            JsonNode c = conditions.get();
            List<String> texts = new ArrayList<>();
            if (c.isTextual()) {
                texts.add(c.asText());
            } else if (c.isArray() && c.size() > 0) {
                c.forEach(t -> texts.add(t.asText()));
            } else {
                throw ApiProblem.badRequest(
                        "conditions is a string or a list of strings",
                        FieldError.of("conditions", "expected a string or a non-empty list of strings"));
            }
            RequestSchema schema = new RequestSchema(settings.levels());
            for (int i = 0; i < texts.size(); i++) {
                ConditionResult r = Conditions.parse(texts.get(i), schema);
                if (r instanceof ConditionResult.Rejected rej) {
                    String field = c.isTextual() ? "conditions" : "conditions[" + i + "]";
                    for (ConditionError e : rej.errors()) {
                        diagnostics.add(new Diagnostic(
                                "",
                                e.line(),
                                e.column(),
                                dev.gavel.engine.parse.Severity.ERROR,
                                field,
                                field + ": " + e.message()));
                    }
                }
            }
        } else {
            Optional<ScopePath> scope =
                    Optional.ofNullable(ctx.queryParam("scope")).map(s -> PolicyReads.parseScope("scope", s));
            scope.ifPresent(s -> Caller.of(ctx).requireVisible(s));
            ParseResult<Policy> parsed = PolicyParser.parse(body, null);
            diagnostics.addAll(parsed.diagnostics());
            if (parsed instanceof ParseResult.Parsed<Policy> ok && scope.isPresent()) {
                PolicyPath where = new PolicyPath(scope.get(), ok.value().name());
                Map<String, byte[]> files = new TreeMap<>(repository
                        .head()
                        .map(h -> repository.filesAt(h).files())
                        .orElse(new TreeMap<>()));
                files.put(where.path(), body);
                CompileResult r = SnapshotCompiler.compile("uncommitted", files, snapshots.current());
                r.diagnostics().stream()
                        .filter(d -> d.file().equals(where.path()) || d.file().isEmpty() || d.isError())
                        .forEach(diagnostics::add);
            } else if (parsed instanceof ParseResult.Parsed<Policy> ok) {
                // No scope: compile the document on its own at the global scope, so a rule that does not
                // compile is reported (parsing alone does not compile rule conditions).
                PolicyPath where = new PolicyPath(ScopePath.GLOBAL, ok.value().name());
                CompileResult r = SnapshotCompiler.compile("uncommitted", Map.of(where.path(), body), Optional.empty());
                r.diagnostics().stream()
                        .filter(d -> d.file().equals(where.path()) && d.isError())
                        .forEach(diagnostics::add);
            }
            if (parsed instanceof ParseResult.Parsed<Policy> ok) {
                policy = PolicyWriter.tree(ok.value());
            }
        }
        Json.ok(
                ctx,
                new ValidationResult(
                        diagnostics.stream().noneMatch(Diagnostic::isError), DiagnosticBody.of(diagnostics), policy));
    }

    private static Optional<JsonNode> conditionsOf(byte[] body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.isObject() && n.has("conditions") && !n.has("spec")) {
                return Optional.of(n.get("conditions"));
            }
        } catch (java.io.IOException e) {
            // not JSON: a YAML policy document
        }
        return Optional.empty();
    }

    /** One example per built-in type, taken from the template repository (global scope first). */
    void templates(Context ctx) {
        TemplateList t = templates;
        if (t == null) {
            t = buildTemplates();
            templates = t;
        }
        Json.ok(ctx, t);
    }

    private static TemplateList buildTemplates() {
        Map<PolicyType, Map.Entry<String, byte[]>> byType = new EnumMap<>(PolicyType.class);
        List<Map.Entry<String, byte[]>> files =
                new ArrayList<>(RepositoryTemplate.files().entrySet());
        // Shallow files first: a global example reads on its own, without the layers above it.
        files.sort(Map.Entry.<String, byte[]>comparingByKey(
                java.util.Comparator.comparingInt((String p) -> p.split("/").length)
                        .thenComparing(p -> p)));
        for (Map.Entry<String, byte[]> f : files) {
            if (!PolicyPath.isPolicyPath(f.getKey())) {
                continue;
            }
            if (PolicyParser.parse(f.getValue(), f.getKey()) instanceof ParseResult.Parsed<Policy> ok) {
                byType.putIfAbsent(ok.value().type(), f);
            }
        }
        List<TemplateList.Template> out = new ArrayList<>();
        byType.forEach((type, f) -> {
            Policy p = ((ParseResult.Parsed<Policy>) PolicyParser.parse(f.getValue(), f.getKey())).value();
            out.add(new TemplateList.Template(
                    type.value(), p.name(), new String(f.getValue(), StandardCharsets.UTF_8), PolicyWriter.tree(p)));
        });
        return new TemplateList(out);
    }
}
