package dev.gavel.store.workloads;

import java.util.List;

/** A job as its cluster reported it, with the ids of its pods. */
public record StoredJob(String id, String name, String namespace, int priority, String status, List<String> podIds) {
    public StoredJob {
        podIds = List.copyOf(podIds);
    }
}
