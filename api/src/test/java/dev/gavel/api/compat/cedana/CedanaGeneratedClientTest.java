package dev.gavel.api.compat.cedana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.api.workloads.WorkloadServer;
import dev.gavel.seed.cedana.ApiClient;
import dev.gavel.seed.cedana.ApiException;
import dev.gavel.seed.cedana.api.PolicyApi;
import dev.gavel.seed.cedana.model.JobFilter;
import dev.gavel.seed.cedana.model.JobPolicyStatus;
import dev.gavel.seed.cedana.model.PolicyDeleteRequest;
import dev.gavel.seed.cedana.model.PolicyJobInfo;
import dev.gavel.seed.cedana.model.PolicyJobsResponse;
import dev.gavel.seed.cedana.model.PolicyPodResponse;
import dev.gavel.seed.cedana.model.PolicyRequest;
import dev.gavel.seed.cedana.model.PolicyResource;
import dev.gavel.seed.cedana.model.PolicyResponse;
import dev.gavel.seed.cedana.model.PolicyType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client generated (openapi-generator, at build time) from seed 003's own OpenAPI document, used unchanged
 * with only its base URL set to {@code /compat/cedana} and a Gavel token as its bearer token, drives every
 * route of the seed against a real server: the seed's client flows end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CedanaGeneratedClientTest {
    static final UUID WEB = UUID.fromString("11111111-1111-4111-8111-111111111111");
    static final UUID T0 = UUID.fromString("33333333-3333-4333-8333-333333333333");
    static final UUID TRAIN = UUID.fromString("55555555-5555-4555-8555-555555555555");
    static final UUID T1 = UUID.fromString("44444444-4444-4444-8444-444444444444");
    static final UUID TRAIN2 = UUID.fromString("77777777-7777-4777-8777-777777777777");

    @TempDir
    static Path dir;

    WorkloadServer s;

    @BeforeAll
    void start() throws Exception {
        s = WorkloadServer.start(dir, server -> List.of(CedanaFace.of(server)));
    }

    @AfterAll
    void stop() {
        s.close();
    }

    PolicyApi client(String token) {
        ApiClient c = new ApiClient();
        c.updateBaseUri(s.base() + CedanaFace.BASE);
        c.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
        return new PolicyApi(c);
    }

    void report(Object pods, Object jobs) {
        assertThat(s.send(
                                "PUT",
                                "/api/v1/clusters/prod-1/workloads",
                                "acme-runtime",
                                Map.of("pods", pods, "jobs", jobs))
                        .status())
                .isEqualTo(200);
    }

    static Map<String, Object> pod(UUID id, String name, String ns) {
        return Map.of("id", id.toString(), "name", name, "namespace", ns, "status", "Running");
    }

    @Test
    @DisplayName("the generated client: create, list, pods, jobs, job-status, report, sync, update, bad body, delete")
    void seedFlows() throws Exception {
        report(
                List.of(pod(WEB, "web", "default"), pod(T0, "train-0", "batch")),
                List.of(Map.of(
                        "id",
                        TRAIN.toString(),
                        "name",
                        "train",
                        "namespace",
                        "batch",
                        "priority",
                        5,
                        "status",
                        "Running",
                        "pods",
                        List.of(T0.toString()))));
        PolicyApi member = client("acme-member");
        PolicyApi runtime = client("acme-runtime");

        String podsId = member.policyCreate(new PolicyRequest()
                .clusterId("prod-1")
                .heartbeatTime(60L)
                .resourceIds(List.of(WEB))
                .resource(PolicyResource.PODS)
                .policyType(PolicyType.HEARTBEAT));
        String jobsId = member.policyCreate(new PolicyRequest()
                .clusterId("prod-1")
                .heartbeatTime(30L)
                .resourceIds(List.of())
                .resource(PolicyResource.JOBS)
                .jobFilter(new JobFilter().namespace("batch").priority(5)));
        assertThat(UUID.fromString(podsId)).isNotNull();

        List<PolicyResponse> list = runtime.policyList();
        PolicyResponse pods =
                list.stream().filter(p -> p.getId().equals(podsId)).findFirst().orElseThrow();
        assertThat(pods.getInput()).isEqualTo(60L);
        assertThat(pods.getResource()).isEqualTo("pods");
        assertThat(pods.getResourceList()).containsExactly(WEB.toString());
        assertThat(pods.getPodCount()).isEqualTo(1L);
        assertThat(pods.getStatus()).isEqualTo("active");
        assertThat(pods.getTimestamp()).isNotNull();

        assertThat(runtime.policyPods(podsId))
                .extracting(PolicyPodResponse::getId)
                .containsExactly(WEB);
        PolicyJobsResponse jobs = runtime.policyJobs(UUID.fromString(jobsId));
        assertThat(jobs.getCount()).isEqualTo(1L);
        assertThat(jobs.getAffectedJobs()).extracting(PolicyJobInfo::getId).containsExactly(TRAIN.toString());
        JobPolicyStatus status = runtime.getJobPolicyStatus(UUID.fromString(jobsId));
        assertThat(status.getTrackedPods()).containsExactly(T0.toString());
        assertThat(status.getPodCount()).isEqualTo(1L);

        report(
                List.of(pod(WEB, "web", "default"), pod(T0, "train-0", "batch"), pod(T1, "train-1", "batch")),
                List.of(
                        Map.of(
                                "id",
                                TRAIN.toString(),
                                "name",
                                "train",
                                "namespace",
                                "batch",
                                "priority",
                                5,
                                "status",
                                "Running",
                                "pods",
                                List.of(T0.toString())),
                        Map.of(
                                "id",
                                TRAIN2.toString(),
                                "name",
                                "train-2",
                                "namespace",
                                "batch",
                                "priority",
                                5,
                                "status",
                                "Pending",
                                "pods",
                                List.of(T1.toString()))));
        assertThat(member.syncJobPolicies().getMessage()).contains("synced");
        JobPolicyStatus after = runtime.getJobPolicyStatus(UUID.fromString(jobsId));
        assertThat(after.getJobIds()).containsExactlyInAnyOrder(TRAIN.toString(), TRAIN2.toString());
        assertThat(after.getJobStatus()).isEqualTo("Mixed");

        assertThat(member.policyUpdate(new PolicyRequest()
                        .id(jobsId)
                        .clusterId("prod-1")
                        .heartbeatTime(90L)
                        .resourceIds(List.of(TRAIN2))
                        .resource(PolicyResource.JOBS)))
                .isEqualTo(jobsId);
        assertThat(runtime.policyJobs(UUID.fromString(jobsId)).getAffectedJobs())
                .extracting(PolicyJobInfo::getId)
                .containsExactly(TRAIN2.toString());

        String head = s.head();
        assertThatThrownBy(() -> member.policyCreate(new PolicyRequest()
                        .clusterId("prod-1")
                        .heartbeatTime(0L)
                        .resourceIds(List.of())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getResponseBody()).contains("\"message\"").contains("heartbeat_time");
                });
        assertThat(s.head()).isEqualTo(head);
        assertThatThrownBy(() -> client("globex-owner").policyPods(podsId))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));

        assertThat(client("acme-owner")
                        .policyDelete(new PolicyDeleteRequest().id(UUID.fromString(podsId)))
                        .getMessage())
                .contains("deleted");
        assertThat(runtime.policyList())
                .extracting(PolicyResponse::getId)
                .doesNotContain(podsId)
                .contains(jobsId);
    }
}
