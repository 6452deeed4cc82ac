package dev.gavel.engine.compile;

import dev.gavel.engine.eval.RequestFact;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * The knowledge base of one partition — the global scope or one tenant — and the side table its
 * rule numbers index. Immutable apart from its idle sessions; a snapshot whose generated rules for
 * a partition did not change shares the partition (and its sessions) with the previous snapshot.
 *
 * <p>Working memory is reused: an evaluation takes an idle session (or creates one), inserts the
 * fact, fires, deletes the fact and gives the session back: to its thread's slot, else to a LIFO deque. So there
 * are about as many as evaluations ever ran at once on this partition, a thread mostly gets the session it used
 * last, and otherwise the most recently used, cache-warm one. {@link #close()} disposes them (NOTES.md: a
 * session never disposed is kept by its knowledge base).
 *
 * <p>The knowledge base may be built later than the partition is made ({@link #deferred}): a server's first compile
 * serves its snapshot before every base is built, and builds them in the background; an evaluation that needs a base
 * not built yet builds it (or waits for the thread building it). Either way a base is built once.
 *
 * @param key {@code ""} for the global partition, else the tenant
 * @param compiled the generated rules, rule {@code i} being {@code r<i>}
 */
public final class CompiledPartition {
    private final String key;
    private final List<CompiledRule> compiled;
    private final List<RuleRef> rules;
    /** Built once, by whichever thread asks first (a second one waits for it). */
    private final FutureTask<KieBase> kieBase;

    private final ConcurrentLinkedDeque<KieSession> idle = new ConcurrentLinkedDeque<>();
    /**
     * In front of the deque, one slot per stripe of serving threads (by thread id), each a cache line apart:
     * a thread takes and gives back the session of its own slot with one atomic swap each (the deque allocates a
     * node and takes two), and two threads on two cores keep their own sessions instead of trading one, whose
     * working memory would then move between the cores' caches at every request.
     */
    private final AtomicReferenceArray<KieSession> hot = new AtomicReferenceArray<>(STRIPES * SLOT_STRIDE);

    /**
     * The smallest power of two at or above the cores, twice (threads with consecutive ids land apart), at most 64
     * (a thread with no session in its slot or the deque looks through the others before it makes one).
     */
    private static final int STRIPES =
            Math.min(64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2);
    /** Slots 16 references apart: 64 bytes or more, so no two stripes share a cache line. */
    private static final int SLOT_STRIDE = 16;

    private volatile boolean closed;

    private CompiledPartition(
            String key, List<CompiledRule> compiled, List<RuleRef> rules, FutureTask<KieBase> kieBase) {
        this.key = key;
        this.compiled = List.copyOf(compiled);
        this.rules = List.copyOf(rules);
        this.kieBase = kieBase;
    }

    /** A partition whose knowledge base is built now. */
    static CompiledPartition built(String key, List<CompiledRule> compiled) {
        CompiledPartition p = deferred(key, compiled);
        p.ensureBuilt();
        return p;
    }

    /** A partition whose knowledge base is built on first use or by {@link #ensureBuilt()}, whichever comes first. */
    static CompiledPartition deferred(String key, List<CompiledRule> compiled) {
        List<CompiledRule> rules = List.copyOf(compiled);
        return new CompiledPartition(
                key,
                rules,
                rules.stream().map(CompiledRule::ref).toList(),
                new FutureTask<>(() -> ExecutableModelBuild.build(rules)));
    }

    /** Builds a partition from generated rules with the executable model (rule {@code i} is {@code r<i>}). */
    public static CompiledPartition build(String key, List<CompiledRule> rules) {
        return PartitionCompiler.build(key, rules);
    }

    /** The same knowledge base (and sessions) with a new side table (enforcement or messages changed, the rules did not). */
    CompiledPartition withRules(List<RuleRef> newRules) {
        CompiledPartition out = new CompiledPartition(key, compiled, newRules, kieBase);
        // Hand the idle sessions over: this partition is superseded by the new one.
        for (int i = 0; i < hot.length(); i += SLOT_STRIDE) {
            KieSession front = hot.getAndSet(i, null);
            if (front != null) {
                out.idle.addLast(front);
            }
        }
        for (KieSession s; (s = idle.pollFirst()) != null; ) {
            out.idle.addLast(s);
        }
        return out;
    }

    public String key() {
        return key;
    }

    /** The knowledge base, built first if it was not yet (by this thread, or by the one already building it). */
    public KieBase kieBase() {
        kieBase.run(); // no-op when built or being built
        try {
            return kieBase.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while the knowledge base of partition '" + key + "' was built");
        } catch (ExecutionException e) {
            // Generated rules Drools refuses are our bug, as in an eager build (SnapshotCompiler reports those).
            throw new IllegalStateException(
                    "building the knowledge base of partition '" + key + "' failed: " + e.getCause(), e.getCause());
        }
    }

    /** Builds the knowledge base unless it is built, being built, or this partition was closed (no one will use it). */
    public void ensureBuilt() {
        if (!closed) {
            kieBase();
        }
    }

    /** Whether the knowledge base is built (for tests and the start-up log). */
    public boolean isBuilt() {
        return kieBase.isDone();
    }

    public List<RuleRef> rules() {
        return rules;
    }

    public RuleRef rule(int id) {
        return rules.get(id);
    }

    /** The generated rules (their constraints identify the knowledge base: equal lists, equal base). */
    public List<CompiledRule> compiled() {
        return compiled;
    }

    /** The partition as readable DRL, for people and for the drools-mvel oracle; never on the serving path. */
    public String drl() {
        return PartitionCompiler.drl(compiled);
    }

    /**
     * Fires the partition's rules on {@code fact}; the numbers of the rules that fired are then in
     * {@link RequestFact#takeHits()}.
     */
    public void fire(RequestFact fact) {
        int slot = ((int) Thread.currentThread().getId() & (STRIPES - 1)) * SLOT_STRIDE;
        KieSession session = hot.getAndSet(slot, null);
        if (session == null) {
            session = idle.pollFirst();
        }
        // Another stripe's idle session before a new one: no more sessions than evaluations ever ran at once.
        for (int i = 0; session == null && i < hot.length(); i += SLOT_STRIDE) {
            if (hot.get(i) != null) {
                session = hot.getAndSet(i, null);
            }
        }
        if (session == null) {
            session = kieBase().newKieSession();
        }
        try {
            FactHandle handle = session.insert(fact);
            session.fireAllRules();
            // An immutable base drops a fact that reached no rule by itself (deleting it again logs a warning).
            if (session.getFactCount() != 0) {
                session.delete(handle);
            }
        } catch (RuntimeException e) {
            session.dispose(); // its working memory may hold the fact: never reuse it
            throw e;
        }
        if (!hot.compareAndSet(slot, null, session)) {
            idle.addFirst(session);
        }
        if (closed) {
            drain();
        }
    }

    /** Disposes the idle sessions; an evaluation still running disposes its own when it ends. */
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (int i = 0; i < hot.length(); i += SLOT_STRIDE) {
            KieSession front = hot.getAndSet(i, null);
            if (front != null) {
                front.dispose();
            }
        }
        for (KieSession s; (s = idle.pollFirst()) != null; ) {
            s.dispose();
        }
    }

    /** How many sessions are idle (for tests of the session life cycle). */
    public int idleSessions() {
        int n = idle.size();
        for (int i = 0; i < hot.length(); i += SLOT_STRIDE) {
            n += hot.get(i) == null ? 0 : 1;
        }
        return n;
    }
}
