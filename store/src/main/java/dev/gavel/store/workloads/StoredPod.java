package dev.gavel.store.workloads;

import java.util.Map;

/** A pod as its cluster reported it. */
public record StoredPod(String id, String name, String namespace, String status, Map<String, String> labels) {
    public StoredPod {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
