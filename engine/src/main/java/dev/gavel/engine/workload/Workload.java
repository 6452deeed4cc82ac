package dev.gavel.engine.workload;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.model.ScopePath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod or job a cluster reported, as the engine sees it: what a heartbeat policy's selectors can
 * test. It runs through the tenant's knowledge base as a {@link Request} ({@link #toRequest}) with
 * {@code resource.type} {@code pod} or {@code job}, {@code resource.name} and {@code resource.labels},
 * and the rest as attributes under {@code workload.*} (docs/workloads.md).
 *
 * @param priority a job's priority; empty for pods
 */
public record Workload(
        Kind kind,
        String cluster,
        String id,
        String name,
        String namespace,
        Optional<Long> priority,
        Map<String, String> labels) {

    /** The request attribute keys a selection rule reads. */
    public static final String CLUSTER = "workload.cluster";

    public static final String ID = "workload.id";
    public static final String NAMESPACE = "workload.namespace";
    public static final String PRIORITY = "workload.priority";

    /** A pod or a job; {@link #resourceType()} is the request's {@code resource.type}. */
    public enum Kind {
        POD("pod"),
        JOB("job");

        private final String resourceType;

        Kind(String resourceType) {
            this.resourceType = resourceType;
        }

        public String resourceType() {
            return resourceType;
        }

        public static Optional<Kind> ofResourceType(String type) {
            for (Kind k : values()) {
                if (k.resourceType.equals(type)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public Workload {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(cluster);
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(namespace);
        priority = priority == null ? Optional.empty() : priority;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The request this workload is matched as, made at {@code scope} (its cluster's tenant). */
    public Request toRequest(ScopePath scope) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(CLUSTER, cluster);
        attributes.put(ID, id);
        attributes.put(NAMESPACE, namespace);
        priority.ifPresent(p -> attributes.put(PRIORITY, p));
        return new Request(
                scope.segments(),
                new Request.Resource(kind.resourceType(), name, labels),
                null,
                null,
                null,
                null,
                attributes);
    }

    /** The attribute keys a workload request carries (for the evaluate route's documentation). */
    public static List<String> attributeKeys() {
        return List.of(CLUSTER, ID, NAMESPACE, PRIORITY);
    }
}
