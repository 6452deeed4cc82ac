package dev.gavel.api.compat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** A face's route table, declared in one place: {@code add(...)} then what the document needs. */
public final class FaceRoutes {
    private final List<Draft> drafts = new ArrayList<>();

    public Draft add(HandlerType method, String path, String seedRole, String summary, Handler h) {
        Draft d = new Draft(method, path, seedRole, summary, h);
        drafts.add(d);
        return d;
    }

    public List<FaceRoute> build() {
        return drafts.stream().map(Draft::build).toList();
    }

    /** A route being declared. */
    public static final class Draft {
        private final HandlerType method;
        private final String path;
        private final String role;
        private final String summary;
        private final Handler handler;
        private List<String> query = List.of();
        private ObjectNode request;
        private ObjectNode response;
        private int status = 200;
        private boolean requestOptional;
        private String mediaType = "application/json";
        private String operationId;

        Draft(HandlerType method, String path, String role, String summary, Handler handler) {
            this.method = method;
            this.path = path;
            this.role = role;
            this.summary = summary;
            this.handler = handler;
        }

        public Draft query(String... q) {
            query = List.of(q);
            return this;
        }

        public Draft request(ObjectNode s) {
            request = s;
            return this;
        }

        /** A body the client may leave out. */
        public Draft optionalRequest(ObjectNode s) {
            request = s;
            requestOptional = true;
            return this;
        }

        public Draft response(ObjectNode s) {
            response = s;
            return this;
        }

        public Draft status(int s) {
            status = s;
            return this;
        }

        /** The success body's media type, when the seed's is not JSON (e.g. {@code text/plain}). */
        public Draft media(String type) {
            mediaType = type;
            return this;
        }

        /** The seed's own operationId (generated clients name their methods after it). */
        public Draft operationId(String id) {
            operationId = id;
            return this;
        }

        FaceRoute build() {
            return new FaceRoute(
                    method,
                    path,
                    role,
                    summary,
                    query,
                    request,
                    response,
                    status,
                    handler,
                    requestOptional,
                    mediaType,
                    operationId);
        }
    }
}
