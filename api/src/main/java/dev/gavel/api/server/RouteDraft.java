package dev.gavel.api.server;

import dev.gavel.api.auth.Role;
import dev.gavel.api.wire.RecordSchemas;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A route being declared in {@link Routes}: the builder calls after {@code add} fill in what the document needs. */
final class RouteDraft {
    final HandlerType method;
    final String path;
    final Optional<Role> role;
    final String tag;
    final String summary;
    final Handler handler;
    private final RecordSchemas schemas;
    List<String> query = List.of();
    String request;
    String response;
    int status = 200;
    final List<Integer> other = new ArrayList<>();
    List<String> requestHeaders = List.of();
    List<String> responseHeaders = List.of();
    String mediaType = "application/json";
    boolean yaml;

    RouteDraft(
            HandlerType method,
            String path,
            Optional<Role> role,
            String tag,
            String summary,
            Handler handler,
            RecordSchemas schemas) {
        this.schemas = schemas;
        this.method = method;
        this.path = path;
        this.role = role;
        this.tag = tag;
        this.summary = summary;
        this.handler = handler;
    }

    RouteDraft query(String... names) {
        query = List.of(names);
        return this;
    }

    /** A request body: a record, or a named schema of {@link OpenApiDocument}. */
    RouteDraft body(Object schema) {
        request = name(schema);
        return this;
    }

    RouteDraft returns(Object schema) {
        response = name(schema);
        return this;
    }

    RouteDraft media(String type) {
        mediaType = type;
        return this;
    }

    RouteDraft status(int s) {
        status = s;
        return this;
    }

    RouteDraft also(Integer... statuses) {
        other.addAll(List.of(statuses));
        return this;
    }

    RouteDraft reads(String... headers) {
        requestHeaders = List.of(headers);
        return this;
    }

    RouteDraft sends(String... headers) {
        responseHeaders = List.of(headers);
        return this;
    }

    RouteDraft yaml() {
        yaml = true;
        return this;
    }

    private String name(Object schema) {
        if (schema instanceof Class<?> c) {
            schemas.ref(c);
            return c.getSimpleName();
        }
        return (String) schema;
    }

    ApiRoute build() {
        return new ApiRoute(
                method,
                path,
                role,
                tag,
                summary,
                query,
                request,
                response,
                status,
                handler,
                new ApiRoute.RouteDoc(List.copyOf(other), requestHeaders, responseHeaders, mediaType, yaml));
    }
}
