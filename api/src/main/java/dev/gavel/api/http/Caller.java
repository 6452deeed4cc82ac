package dev.gavel.api.http;

import dev.gavel.api.auth.Principal;
import dev.gavel.api.auth.Role;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.store.git.Author;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * The authenticated caller of a request, with the visibility rules: a tenant-limited caller sees the
 * global scope and its tenants' scopes; any other scope is answered as if it did not exist (404).
 */
public record Caller(Principal principal) {
    public static final String ATTRIBUTE = "gavel.caller";

    public static Caller of(Context ctx) {
        Caller c = ctx.attribute(ATTRIBUTE);
        if (c == null) {
            throw new IllegalStateException("route registered without a role reads the caller");
        }
        return c;
    }

    public boolean isLimited() {
        return principal.tenants().isPresent();
    }

    public boolean canSee(ScopePath scope) {
        return scope.isGlobal() || principal.canSeeTenant(scope.segments().get(0));
    }

    /** True for files under {@code policies/} the caller may see; other repository files only for unlimited callers. */
    public boolean canSeeFile(String path) {
        if (!isLimited()) {
            return true;
        }
        if (!PolicyPath.isPolicyPath(path)) {
            return false;
        }
        return canSee(PolicyPath.parse(path).scope());
    }

    /** 404 when the scope is another tenant's: the caller learns nothing about it. */
    public void requireVisible(ScopePath scope) {
        if (!canSee(scope)) {
            throw ApiProblem.notFound("scope '" + scope.url() + "' does not exist");
        }
    }

    /** Writes to the global scope change every tenant: only callers not limited to tenants make them. */
    public void requireWritable(ScopePath scope) {
        requireVisible(scope);
        if (scope.isGlobal() && isLimited()) {
            throw ApiProblem.forbidden("a token limited to tenants cannot change global policies");
        }
    }

    public void requireRole(Role role) {
        if (!principal.role().includes(role)) {
            throw ApiProblem.forbidden("this needs the " + role.value() + " role; the token has "
                    + principal.role().value());
        }
    }

    public void requireUnlimited(String what) {
        if (isLimited()) {
            throw ApiProblem.forbidden(what + " spans every tenant: it needs a token not limited to tenants");
        }
    }

    /** The commit author: the principal's name, with a synthetic address. */
    public Author author() {
        String name = principal.name().replaceAll("[<>\\r\\n\\x00]", "").strip();
        if (name.isEmpty()) {
            name = "api";
        }
        String local = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        return new Author(name, (local.isEmpty() ? "api" : local) + "@gavel");
    }
}
