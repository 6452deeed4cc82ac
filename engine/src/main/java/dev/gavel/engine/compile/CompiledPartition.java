package dev.gavel.engine.compile;

import dev.gavel.engine.eval.RequestFact;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReference;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * The knowledge base of one partition — the global scope or one tenant — and the side table its
 * rule numbers index. Immutable apart from its idle sessions; a snapshot whose generated rules for
 * a partition did not change shares the partition (and its sessions) with the previous snapshot.
 *
 * <p>Working memory is reused: an evaluation takes an idle session (or creates one), inserts the
 * fact, fires, deletes the fact and gives the session back. Sessions are kept LIFO, so there are
 * as many as evaluations ever ran at once on this partition — one per serving thread — and the
 * most recently used, cache-warm one is taken first. {@link #close()} disposes them (NOTES.md: a
 * session never disposed is kept by its knowledge base).
 *
 * @param key {@code ""} for the global partition, else the tenant
 * @param compiled the generated rules, rule {@code i} being {@code r<i>}
 */
public final class CompiledPartition {
    private final String key;
    private final List<CompiledRule> compiled;
    private final List<RuleRef> rules;
    private final KieBase kieBase;
    private final ConcurrentLinkedDeque<KieSession> idle = new ConcurrentLinkedDeque<>();
    /**
     * The session given back last, in front of the deque: taken and given back with one atomic swap each, where
     * the deque allocates a node and takes two (one serving thread, the common case, never reaches the deque).
     */
    private final AtomicReference<KieSession> last = new AtomicReference<>();

    private volatile boolean closed;

    CompiledPartition(String key, List<CompiledRule> compiled, List<RuleRef> rules, KieBase kieBase) {
        this.key = key;
        this.compiled = List.copyOf(compiled);
        this.rules = List.copyOf(rules);
        this.kieBase = kieBase;
    }

    /** Builds a partition from generated rules with the executable model (rule {@code i} is {@code r<i>}). */
    public static CompiledPartition build(String key, List<CompiledRule> rules) {
        return PartitionCompiler.build(key, rules);
    }

    /** The same knowledge base (and sessions) with a new side table (enforcement or messages changed, the rules did not). */
    CompiledPartition withRules(List<RuleRef> newRules) {
        CompiledPartition out = new CompiledPartition(key, compiled, newRules, kieBase);
        // Hand the idle sessions over: this partition is superseded by the new one.
        KieSession front = last.getAndSet(null);
        if (front != null) {
            out.idle.addLast(front);
        }
        for (KieSession s; (s = idle.pollFirst()) != null; ) {
            out.idle.addLast(s);
        }
        return out;
    }

    public String key() {
        return key;
    }

    public KieBase kieBase() {
        return kieBase;
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
        KieSession session = last.getAndSet(null);
        if (session == null) {
            session = idle.pollFirst();
        }
        if (session == null) {
            session = kieBase.newKieSession();
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
        if (!last.compareAndSet(null, session)) {
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
        KieSession front = last.getAndSet(null);
        if (front != null) {
            front.dispose();
        }
        for (KieSession s; (s = idle.pollFirst()) != null; ) {
            s.dispose();
        }
    }

    /** How many sessions are idle (for tests of the session life cycle). */
    public int idleSessions() {
        return idle.size() + (last.get() == null ? 0 : 1);
    }
}
