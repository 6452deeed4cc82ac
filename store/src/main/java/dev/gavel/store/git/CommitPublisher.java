package dev.gavel.store.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change sets as commits on the served branch: blobs and tree straight into the object database, then a
 * compare-and-swap of the branch ref (or a push with the expected old head to the remote, which is the truth),
 * rebuilt on the new head after a lost race unless a touched path changed in between.
 */
final class CommitPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(CommitPublisher.class);
    private static final int MAX_ATTEMPTS = 1_000;

    /** How a compare-and-swap of the branch ref ended. */
    enum RefMove {
        /** The branch now points at the new commit. */
        MOVED,
        /** The branch already pointed at the commit and still does: nothing to move, nothing written. */
        UNCHANGED,
        /** Another writer moved the branch first: rebuild on the new head. */
        LOST_RACE
    }

    private final ServedBranch branch;
    private final Repository repo;
    private final BranchWatcher watcher;
    /** Runs between building a commit and the ref update (a test seam, to provoke a lost race). */
    private final Runnable beforePublish;

    CommitPublisher(ServedBranch branch, BranchWatcher watcher, Runnable beforePublish) {
        this.branch = branch;
        this.repo = branch.repo();
        this.watcher = watcher;
        this.beforePublish = beforePublish;
    }

    /** See {@link GitPolicyRepository#commit(ChangeSet, Author, String, Optional)}. */
    CommitResult commit(ChangeSet changes, Author author, String message, Optional<String> expectedHead) {
        Objects.requireNonNull(author, "author");
        RepoPaths.requirePolicyPaths(changes.paths());
        String msg = requireMessage(message);
        ObjectId expected = null;
        if (expectedHead.isPresent()) {
            try {
                expected = branch.resolveId(expectedHead.get());
            } catch (UnknownRevisionException e) {
                throw new ConflictException(
                        "expected head '" + expectedHead.get() + "' is not a known commit",
                        List.copyOf(changes.paths()),
                        expectedHead,
                        head());
            }
        }
        return publish(insertBlobs(changes.puts(), changes.deletes()), author, msg, expected, expectedHead.isPresent());
    }

    /** The first commit of a branch that does not exist yet, holding {@code files}; any path is allowed (a template). */
    CommitResult createBranch(Map<String, byte[]> files, Author author, String message) {
        return publish(insertBlobs(files, Set.of()), author, message, null, true);
    }

    /** Most writes one ref move (one push) carries. */
    private static final int MAX_GROUP = 32;

    /**
     * One write waiting for, or carried by, a group. Its fields are written by the thread running the group and
     * read by its own thread after that thread took the write lock the group ran under, so the lock orders them.
     */
    private static final class Write {
        final Map<String, TreeEditor.Edit> edits;
        final Author author;
        final String message;
        ObjectId base;
        boolean haveBase;
        /** In the group's chain: the commit made, or (unchanged) the commit it sits on; null = the branch head. */
        ObjectId commit;

        ObjectId parent;
        boolean created;
        CommitResult result;
        RuntimeException failure;

        Write(Map<String, TreeEditor.Edit> edits, Author author, String message, ObjectId base, boolean haveBase) {
            this.edits = edits;
            this.author = author;
            this.message = message;
            this.base = base;
            this.haveBase = haveBase;
        }

        boolean done() {
            return result != null || failure != null;
        }

        CommitResult outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    /** Writes waiting for the write lock; whoever holds it next carries them all in one group. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Write> waiting =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Commits {@code edits} with compare-and-swap on the branch ref, retrying on a lost race unless a touched path
     * changed between the base and the new head. {@code explicitBase}: the base is {@code expected} (null = the
     * branch must not exist yet); otherwise it is the head found on the first attempt.
     *
     * <p>Group commit: writes that arrive while another is being published wait for the write lock; the next
     * holder chains all of them (each its own commit, on the one before, in arrival order) and moves the ref once.
     * On a remote that is one push for the group, so replicas writing at once race per group, not per write
     * (docs/fleet.md). A write that conflicts fails alone; the others go on.
     */
    private CommitResult publish(
            Map<String, TreeEditor.Edit> edits,
            Author author,
            String message,
            ObjectId expected,
            boolean explicitBase) {
        Write mine = new Write(edits, author, message, expected, explicitBase);
        waiting.add(mine);
        branch.writeLock().lock();
        try {
            // Done already when the holder before us carried it; else groups in arrival order until ours ran
            // (a holder completes every write it takes before it lets go of the lock).
            while (!mine.done()) {
                List<Write> group = new ArrayList<>();
                for (Write w; group.size() < MAX_GROUP && (w = waiting.poll()) != null; ) {
                    group.add(w);
                }
                runGroup(group);
            }
        } finally {
            branch.writeLock().unlock();
        }
        return mine.outcome();
    }

    /** Publishes a group under the write lock; every write of it ends done (a result or a failure). */
    private void runGroup(List<Write> group) {
        try {
            publishGroup(group);
        } catch (IOException e) {
            failAll(group, new UncheckedIOException(e));
        } catch (RuntimeException e) {
            failAll(group, e);
        } catch (Error e) {
            failAll(group, new IllegalStateException("the write failed: " + e, e));
            throw e;
        }
    }

    private static void failAll(List<Write> group, RuntimeException e) {
        for (Write w : group) {
            if (!w.done()) {
                w.failure = e;
            }
        }
    }

    private void publishGroup(List<Write> group) throws IOException {
        List<Write> live = new ArrayList<>(group);
        long started = System.nanoTime();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (branch.isClosed()) {
                throw new IllegalStateException("the policy repository is closed");
            }
            ObjectId head = branch.readHead();
            ObjectId tip = head;
            Write last = null;
            try (ObjectInserter ins = repo.newObjectInserter();
                    ObjectReader reader = ins.newReader(); // sees the chain's commits before the flush
                    RevWalk walk = new RevWalk(reader)) {
                RevTree tipTree = head == null ? null : walk.parseCommit(head).getTree();
                for (java.util.Iterator<Write> it = live.iterator(); it.hasNext(); ) {
                    Write w = it.next();
                    if (!w.haveBase) {
                        w.base = tip;
                        w.haveBase = true;
                    }
                    try {
                        if (!Objects.equals(w.base, tip)) {
                            requireUntouched(reader, walk, w.edits, w.base, tip, tipTree);
                        }
                        ObjectId tree;
                        try {
                            tree = new TreeEditor(reader, ins).apply(tipTree, w.edits);
                        } catch (TreeEditor.PathCollision e) {
                            throw new InvalidRepoPathException(List.of(e.getMessage()));
                        }
                        w.parent = tip;
                        if (tipTree != null && tree.equals(tipTree)) {
                            w.commit = tip;
                            w.created = false;
                            continue;
                        }
                        tip = ins.insert(commitOf(tree, tip, w.author, w.message));
                        tipTree = walk.parseTree(tree);
                        w.commit = tip;
                        w.created = true;
                        last = w;
                    } catch (ConflictException | InvalidRepoPathException e) {
                        w.failure = e;
                        it.remove();
                    }
                }
                ins.flush();
            }
            int tries = attempt;
            if (last == null) { // nothing to move: every live write left the tree as it was
                live.forEach(w -> w.result = unchanged(w.commit, tries));
                return;
            }
            beforePublish.run();
            switch (moveRef(head, tip, last.author, last.message)) {
                case MOVED -> {
                    watcher.headMoved();
                    for (Write w : live) {
                        w.result = w.created
                                ? new CommitResult(
                                        w.commit.name(),
                                        Optional.ofNullable(w.parent).map(ObjectId::name),
                                        true,
                                        attempt)
                                : unchanged(w.commit, attempt);
                    }
                    if (live.size() > 1) {
                        LOG.debug("published {} writes in one move of {}", live.size(), branch.refName());
                    }
                    return;
                }
                case UNCHANGED -> {
                    // the head already is the chain's tip (a single write another writer made identically)
                    live.forEach(w -> w.result = unchanged(w.commit, tries));
                    return;
                }
                case LOST_RACE -> {
                    LOG.debug(
                            "lost the race for {} on attempt {}; retrying on the new head", branch.refName(), attempt);
                    if (branch.origin() != null) {
                        // Wait first, then fetch the head to rebase on: the fetched head is then as fresh as it can
                        // be when the push goes (fetching before the wait left the whole wait for another replica to
                        // move the branch again, and lose this push one more race).
                        branch.origin().backoff(attempt, started);
                        watcher.fetch();
                    }
                }
            }
        }
        ObjectId base = live.isEmpty() ? null : live.get(0).base;
        List<String> paths = new ArrayList<>();
        live.forEach(w -> paths.addAll(w.edits.keySet()));
        failAll(
                live,
                new ConflictException(
                        "gave up after " + MAX_ATTEMPTS + " attempts: branch " + branch.name() + " keeps moving",
                        paths,
                        Optional.ofNullable(base).map(ObjectId::name),
                        head()));
    }

    /** A write that left the branch where it was: no commit made ({@link CommitResult#created()} false). */
    private static CommitResult unchanged(ObjectId head, int attempt) {
        return new CommitResult(head.name(), Optional.of(head.name()), false, attempt);
    }

    /** Throws a conflict naming each touched path that changed between {@code base} and {@code head}. */
    private static void requireUntouched(
            ObjectReader reader,
            RevWalk walk,
            Map<String, TreeEditor.Edit> edits,
            ObjectId base,
            ObjectId head,
            RevTree headTree)
            throws IOException {
        RevTree baseTree = base == null ? null : walk.parseCommit(base).getTree();
        List<String> changed = new ArrayList<>();
        for (String p : edits.keySet()) {
            if (!Objects.equals(
                    RevisionReader.entryAt(reader, baseTree, p), RevisionReader.entryAt(reader, headTree, p))) {
                changed.add(p);
            }
        }
        if (!changed.isEmpty()) {
            throw new ConflictException(
                    "changed since "
                            + (base == null
                                    ? "the branch was created"
                                    : base.abbreviate(8).name()) + " by another commit: " + String.join(", ", changed),
                    changed,
                    Optional.ofNullable(base).map(ObjectId::name),
                    Optional.ofNullable(head).map(ObjectId::name));
        }
    }

    private static CommitBuilder commitOf(ObjectId tree, ObjectId parent, Author author, String message) {
        CommitBuilder cb = new CommitBuilder();
        cb.setTreeId(tree);
        if (parent != null) {
            cb.setParentId(parent);
        }
        PersonIdent who = ident(author);
        cb.setAuthor(who);
        cb.setCommitter(who);
        cb.setMessage(message);
        return cb;
    }

    /** Compare-and-swap of the branch from {@code head} (null = must not exist) to {@code commit}. */
    RefMove moveRef(ObjectId head, ObjectId commit, Author author, String message) throws IOException {
        if (branch.isRemote()) {
            return pushToOrigin(head, commit);
        }
        RefUpdate u = repo.updateRef(branch.refName());
        u.setExpectedOldObjectId(head == null ? ObjectId.zeroId() : head);
        u.setNewObjectId(commit);
        u.setRefLogIdent(ident(author));
        u.setRefLogMessage("gavel: " + message.lines().findFirst().orElse(""), false);
        RefUpdate.Result r = u.update();
        return switch (r) {
            case NEW, FAST_FORWARD, FORCED -> RefMove.MOVED;
            // JGit answers NO_CHANGE only when the ref was at the expected head and that is the new commit too: the
            // branch already holds exactly this write. Not a failure (it was a 500 at the API).
            case NO_CHANGE -> RefMove.UNCHANGED;
            case LOCK_FAILURE, REJECTED -> RefMove.LOST_RACE;
            default -> throw new IOException("updating " + branch.refName() + " failed: " + r);
        };
    }

    /**
     * The remote's compare-and-swap. Its UP_TO_DATE stays a lost race ({@link RemoteBranch#push}): there the
     * expected head is not checked, so it means another replica pushed the identical commit, not that we did.
     */
    private RefMove pushToOrigin(ObjectId head, ObjectId commit) throws IOException {
        return branch.origin().push(branch.refName(), head, commit) == RemoteBranch.Push.DONE
                ? RefMove.MOVED
                : RefMove.LOST_RACE; // the caller fetches the new head after its backoff
    }

    private Map<String, TreeEditor.Edit> insertBlobs(Map<String, byte[]> puts, Set<String> deletes) {
        Map<String, TreeEditor.Edit> edits = new TreeMap<>();
        try (ObjectInserter ins = repo.newObjectInserter()) {
            for (Map.Entry<String, byte[]> p : puts.entrySet()) {
                edits.put(
                        p.getKey(),
                        new TreeEditor.Edit(ins.insert(Constants.OBJ_BLOB, p.getValue()), FileMode.REGULAR_FILE));
            }
            ins.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deletes.forEach(d -> edits.put(d, TreeEditor.Edit.DELETE));
        return edits;
    }

    private Optional<String> head() {
        return Optional.ofNullable(branch.readHead()).map(ObjectId::name);
    }

    static PersonIdent ident(Author a) {
        return new PersonIdent(a.name(), a.email());
    }

    /** The message as committed (one trailing newline); refuses a blank one or one with NUL. */
    static String requireMessage(String message) {
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a commit message is required");
        }
        if (message.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a commit message may not contain NUL");
        }
        return message.stripTrailing() + "\n";
    }
}
