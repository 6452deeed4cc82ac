package dev.gavel.api.compat;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.ScopePath;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * The caller of a face and the tenant (workspace, org) it acts in: the tenant of a token limited to
 * exactly one tenant, else the one named by the face's header or {@code X-Gavel-Tenant}, which must be
 * one the token may see.
 */
public record FaceCaller(Caller caller, String tenant) {
    static final String ATTRIBUTE = "gavel.face-caller";
    public static final String GAVEL_TENANT_HEADER = "X-Gavel-Tenant";

    public static FaceCaller of(Context ctx) {
        FaceCaller c = ctx.attribute(ATTRIBUTE);
        if (c == null) {
            throw new IllegalStateException("face route registered without authentication");
        }
        return c;
    }

    static FaceCaller resolve(Context ctx, Caller caller, Face face) {
        String param = face.tenantPathParam();
        if (param != null && ctx.pathParamMap().containsKey(param)) {
            String tenant = ctx.pathParam(param);
            if (!Names.isValid(tenant)) {
                throw ApiProblem.badRequest(
                        "invalid " + param,
                        List.of(
                                FieldError.of(
                                        "path." + param,
                                        "lower-case letters, digits and '-', 1 to 49, starting and ending with a letter or digit")));
            }
            if (!caller.principal().canSeeTenant(tenant)) {
                throw face.foreignTenant(tenant);
            }
            return new FaceCaller(caller, tenant);
        }
        String faceHeader = face.tenantHeader();
        String named = ctx.header(faceHeader);
        if (named == null || named.isBlank()) {
            named = ctx.header(GAVEL_TENANT_HEADER);
        }
        Set<String> limited = caller.principal().tenants().orElse(Set.of());
        if (named == null || named.isBlank()) {
            if (limited.size() == 1) {
                return new FaceCaller(caller, limited.iterator().next());
            }
            throw ApiProblem.badRequest(
                    "name the workspace with the " + faceHeader + " or " + GAVEL_TENANT_HEADER
                            + " header (the token is not limited to exactly one)",
                    List.of(FieldError.of(faceHeader, "required")));
        }
        String tenant = named.strip();
        if (!Names.isValid(tenant)) {
            throw ApiProblem.badRequest(
                    "invalid workspace name", List.of(FieldError.of(faceHeader, "not a valid name")));
        }
        if (!caller.principal().canSeeTenant(tenant)) {
            throw ApiProblem.notFound("workspace '" + tenant + "' does not exist");
        }
        return new FaceCaller(caller, tenant);
    }

    public ScopePath tenantScope() {
        return ScopePath.parse(tenant);
    }

    /** Whether a scope belongs to this tenant (the tenant's scope or one below it). */
    public boolean owns(ScopePath scope) {
        return !scope.isGlobal() && scope.segments().get(0).equals(tenant);
    }
}
