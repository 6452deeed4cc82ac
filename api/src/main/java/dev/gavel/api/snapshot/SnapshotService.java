package dev.gavel.api.snapshot;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.engine.compile.BuildTiming;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.ServedSnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.store.git.CommitInfo;
import dev.gavel.store.git.CommitPage;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.HeadWatch;
import dev.gavel.store.git.RemoteStatus;
import dev.gavel.store.git.RepoFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the served snapshot on the branch head: watches the repository (polling, the webhook, the
 * server's own writes), compiles each new head in one background thread — only the newest when several
 * arrive — and serves it when it compiles. A head that does not compile stays visible in {@link
 * #status()} while the last good snapshot keeps being served.
 */
public final class SnapshotService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotService.class);
    /** How far back start-up looks for a commit that compiles when HEAD does not. */
    private static final int FALLBACK_DEPTH = 200;

    private final GitPolicyRepository repository;
    private final Duration poll;
    private final ServedSnapshot served = new ServedSnapshot();
    private final ExecutorService compiler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gavel-compile");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private final Counter reloads;
    private final Counter rejections;
    private final Timer compileTimer;
    private volatile Optional<Duration> maxStaleness = Optional.empty();
    // guarded by lock
    private String pendingHead;
    private long pendingSeq;
    private long submittedSeq;
    private long compiledSeq;
    private String lastCompiled;
    /** Bumped when a write serves its own snapshot: a compile that started before it is then stale. */
    private long writeServes;

    private volatile Instant servedSince;
    private volatile HeadWatch watch;
    /** When the branch head first moved past the served commit; null while the head is served. */
    private volatile Instant behindSince;

    public SnapshotService(GitPolicyRepository repository, Duration poll, MeterRegistry metrics) {
        this.repository = repository;
        this.poll = poll;
        this.reloads = io.micrometer.core.instrument.Counter.builder("gavel_snapshot_reloads")
                .description("Commits compiled and swapped in as the served snapshot")
                .register(metrics);
        this.rejections = io.micrometer.core.instrument.Counter.builder("gavel_snapshot_rejections")
                .description("Commits that did not compile and were not served")
                .register(metrics);
        this.compileTimer = io.micrometer.core.instrument.Timer.builder("gavel_snapshot_compile")
                .description("Time to compile one commit into a snapshot")
                .register(metrics);
        FleetMetrics.register(this, metrics);
    }

    /** Compiles HEAD (or the newest good commit before it) in the caller's thread, then starts watching. */
    public void start() {
        Optional<String> head = repository.head();
        if (head.isEmpty()) {
            LOG.warn("branch {} has no commit yet; nothing served until one is pushed", repository.branch());
        } else {
            CompileResult atHead = compileCommit(head.get(), Optional.empty());
            if (atHead instanceof CompileResult.Rejected rejected) {
                fallBackFrom(head.get());
                served.offer(rejected);
                logRejected(rejected);
            } else {
                served.offer(atHead);
                servedSince = Instant.now();
                logServed((CompileResult.Compiled) atHead);
            }
            synchronized (lock) {
                lastCompiled = head.get();
            }
        }
        watch = repository.watch(poll, change -> change.current().ifPresent(this::submit));
    }

    /** Walks the first-parent line back from a broken head to the newest commit that compiles. */
    private void fallBackFrom(String head) {
        CommitPage page = repository.commits(0, FALLBACK_DEPTH);
        for (CommitInfo c : page.commits()) {
            if (c.id().equals(head)) {
                continue;
            }
            CompileResult r = compileCommit(c.id(), Optional.empty());
            if (r instanceof CompileResult.Compiled ok) {
                served.offer(ok);
                servedSince = Instant.now();
                LOG.warn("HEAD {} does not compile; serving the newest good commit {}", shortId(head), shortId(c.id()));
                return;
            }
        }
        LOG.error(
                "no commit among the last {} of {} compiles; nothing served",
                page.commits().size(),
                repository.branch());
    }

    /**
     * Queues {@code head} for compilation and returns its ticket: once {@link #awaitCompiled} returns for
     * it, that head or a newer one has been compiled.
     */
    public long submit(String head) {
        if (behindSince == null
                && !served.current().map(s -> s.commit().equals(head)).orElse(false)) {
            behindSince = Instant.now();
        }
        synchronized (lock) {
            pendingHead = head;
            pendingSeq = ++submittedSeq;
            long seq = pendingSeq;
            compiler.execute(this::drain);
            return seq;
        }
    }

    private void drain() {
        String head;
        long seq;
        long servesBefore;
        synchronized (lock) {
            servesBefore = writeServes;
            if (pendingHead == null) {
                return; // an earlier drain took it: several heads arrived, only the newest is compiled
            }
            head = pendingHead;
            seq = pendingSeq;
            pendingHead = null;
            if (head.equals(lastCompiled)) {
                caughtUp(head);
                compiledSeq = seq;
                lock.notifyAll();
                return;
            }
        }
        boolean stale = false;
        try {
            CompileResult result = compileCommit(head, served.current());
            boolean changed;
            synchronized (lock) {
                stale = writeServes != servesBefore; // a write served a newer commit meanwhile
                changed = !stale && served.offer(result);
            }
            if (stale) {
                return;
            }
            if (changed) {
                servedSince = Instant.now();
                reloads.increment();
                logServed((CompileResult.Compiled) result);
            } else {
                rejections.increment();
                logRejected((CompileResult.Rejected) result);
            }
        } catch (RuntimeException e) {
            LOG.error("compiling {} failed: {}", shortId(head), e.toString());
        } finally {
            synchronized (lock) {
                if (!stale) {
                    lastCompiled = head;
                }
                caughtUp(head);
                compiledSeq = Math.max(compiledSeq, seq);
                lock.notifyAll();
            }
        }
    }

    /** The lag clock stops once the head is served (a head that does not compile keeps it running). */
    private void caughtUp(String head) {
        if (served.current().map(s -> s.commit().equals(head)).orElse(false)
                && repository.head().map(head::equals).orElse(false)) {
            behindSince = null;
        }
    }

    private CompileResult compileCommit(String commit, Optional<PolicySnapshot> previous) {
        long start = System.nanoTime();
        RepoFiles files = repository.filesAt(commit);
        // The first compile serves its snapshot before the knowledge bases are built (they build in the background,
        // each on first use at the latest): decisions start seconds sooner on a large repository (docs/operations.md).
        CompileResult r = SnapshotCompiler.compile(
                commit,
                files.files(),
                files.unreadable(),
                previous,
                previous.isEmpty() ? BuildTiming.BACKGROUND : BuildTiming.NOW);
        compileTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return r;
    }

    /** Waits (at most {@code timeout}) until the ticket's head or a newer one was compiled; false on timeout. */
    public boolean awaitCompiled(long ticket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (compiledSeq < ticket) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * After a write: submits the branch head (which contains the write) and waits until it is compiled,
     * so the caller's next read sees its own change when it compiled.
     */
    public void catchUp(Duration timeout) {
        repository.head().ifPresent(h -> {
            long ticket = submit(h);
            if (!awaitCompiled(ticket, timeout)) {
                LOG.warn("commit {} not compiled within {}", shortId(h), timeout);
            }
        });
    }

    /**
     * After this server's own write: serves the snapshot the write compiled to validate the change,
     * labelled with its commit, when it was compiled from the snapshot still served and the commit is
     * still the branch head — write-to-served is then the commit alone. Otherwise compiles the head as
     * {@link #catchUp} does.
     */
    public void serveWritten(
            String commit, CompileResult validated, Optional<PolicySnapshot> compiledFrom, Duration timeout) {
        if (validated instanceof CompileResult.Compiled ok) {
            synchronized (lock) {
                PolicySnapshot now = served.current().orElse(null);
                if (now == compiledFrom.orElse(null)
                        && commit.equals(repository.head().orElse(null))) {
                    CompileResult.Compiled relabeled = new CompileResult.Compiled(
                            ok.snapshot().asCommit(commit), ok.rebuiltPartitions(), ok.millis());
                    served.offer(relabeled);
                    writeServes++;
                    lastCompiled = commit;
                    pendingHead = null; // queued heads are this commit or older
                    compiledSeq = submittedSeq;
                    lock.notifyAll();
                    servedSince = Instant.now();
                    reloads.increment();
                    logServed(relabeled);
                    return;
                }
            }
        }
        catchUp(timeout);
    }

    /** Checks the branch now (the webhook): a new head is queued through the watch. */
    public Optional<String> refreshNow() {
        return repository.refreshNow();
    }

    public Optional<PolicySnapshot> current() {
        return served.current();
    }

    /** The served snapshot, or 503 while none is. */
    public PolicySnapshot require() {
        return served.current()
                .orElseThrow(() -> ApiProblem.unavailable(
                        "no commit of branch " + repository.branch() + " compiles yet; see /api/v1/status"));
    }

    public Status status() {
        Optional<String> head = repository.head();
        Optional<CompileResult> newest = served.newest();
        Optional<String> servedCommit = served.current().map(PolicySnapshot::commit);
        Instant behind = behindSince;
        Instant now = Instant.now();
        Optional<Fleet> fleet = repository
                .remoteStatus()
                .map(r -> new Fleet(
                        r,
                        servedCommit.map(repository::commitsBehindHead).orElse(-1),
                        servedCommit.equals(head) || behind == null ? Duration.ZERO : Duration.between(behind, now),
                        r.lastFetch().map(t -> Duration.between(t, now)),
                        stale(r, now),
                        maxStaleness));
        return new Status(
                repository.branch(),
                head,
                servedCommit,
                Optional.ofNullable(servedSince),
                newest.map(CompileResult::commit),
                newest.map(r -> r instanceof CompileResult.Compiled),
                newest.map(CompileResult::diagnostics).orElse(List.of()),
                fleet);
    }

    /**
     * How this replica stands against its remote.
     *
     * @param lagCommits commits on the branch after the served one (-1 when nothing is served)
     * @param lag how long the branch head has been ahead of the served commit
     * @param sinceFetch time since the last successful fetch (empty: none yet)
     * @param stale past {@code maxStaleness} without a successful fetch: readiness fails
     */
    public record Fleet(
            RemoteStatus remote,
            int lagCommits,
            Duration lag,
            Optional<Duration> sinceFetch,
            boolean stale,
            Optional<Duration> maxStaleness) {}

    /** Past this long without a successful fetch, the replica says it is stale (and not ready). */
    public void maxStaleness(Optional<Duration> d) {
        this.maxStaleness = d;
    }

    /**
     * The remote's status when this replica is stale ({@link Fleet#stale()}), else empty. Asked by every request (the
     * {@code X-Gavel-Stale} header), so it reads no Git ref and walks no history, unlike {@link #status()}, which
     * read the branch head on every request (3 % of a decision's CPU in a JFR profile under load) and, with a remote,
     * counted the commits behind it.
     */
    public Optional<RemoteStatus> staleRemote() {
        return repository.remoteStatus().filter(r -> stale(r, Instant.now()));
    }

    private boolean stale(RemoteStatus r, Instant now) {
        Optional<Duration> max = maxStaleness;
        return max.isPresent()
                && r.lastFetch()
                        .map(t -> Duration.between(t, now).compareTo(max.get()) > 0)
                        .orElse(true);
    }

    /**
     * @param head the branch head now
     * @param newest the newest commit compiled (served when {@code newestCompiled})
     */
    public record Status(
            String branch,
            Optional<String> head,
            Optional<String> served,
            Optional<Instant> servedSince,
            Optional<String> newest,
            Optional<Boolean> newestCompiled,
            List<Diagnostic> newestDiagnostics,
            Optional<Fleet> fleet) {
        public boolean ready() {
            return served.isPresent() && !stale();
        }

        /** Past --max-staleness without reaching the remote. */
        public boolean stale() {
            return fleet.map(Fleet::stale).orElse(false);
        }

        /** Serving, the newest commit is the one served, and (with a remote) the remote answers. */
        public boolean upToDate() {
            return served.isPresent()
                    && served.equals(newest)
                    && newest.equals(head)
                    && fleet.map(f -> f.remote().reachable()).orElse(true);
        }
    }

    private void logServed(CompileResult.Compiled ok) {
        long building = ok.snapshot().partitions().values().stream()
                .filter(p -> !p.isBuilt())
                .count();
        LOG.info(
                "serving {} ({} policies, compiled in {} ms{})",
                shortId(ok.commit()),
                ok.snapshot().policies().size(),
                ok.millis(),
                building == 0 ? "" : "; " + building + " knowledge bases building in the background");
    }

    private void logRejected(CompileResult.Rejected r) {
        List<Diagnostic> errors =
                r.diagnostics().stream().filter(Diagnostic::isError).toList();
        LOG.warn(
                "commit {} does not compile ({} errors, first: {}); still serving {}",
                shortId(r.commit()),
                errors.size(),
                errors.isEmpty() ? "-" : errors.get(0).format(),
                served.current().map(s -> shortId(s.commit())).orElse("nothing"));
    }

    public static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    @Override
    public void close() {
        HeadWatch w = watch;
        if (w != null) {
            w.close();
        }
        compiler.shutdownNow();
    }
}
