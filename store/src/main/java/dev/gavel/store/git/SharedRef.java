package dev.gavel.store.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * One file kept on a ref of its own next to the served branch ({@code refs/gavel/<name>}), never on the branch:
 * read from the local copy of the ref (fetched with the branch), replaced by a commit whose ref update is a
 * compare-and-swap on the remote (or on the local ref when the repository has no remote).
 */
public final class SharedRef {
    private final Repository repo;
    private final String ref;
    private final String file;
    private final RemoteBranch origin;
    private final ReentrantLock lock;
    private final Runnable fetcher;

    SharedRef(Repository repo, String name, String file, RemoteBranch origin, ReentrantLock lock, Runnable fetcher) {
        this.fetcher = fetcher;
        this.repo = repo;
        this.ref = RemoteBranch.SHARED_REFS + name;
        this.file = file;
        this.origin = origin;
        this.lock = lock;
    }

    /** A version of the file: the commit of the ref, and the file's bytes there. */
    public record Version(String commit, byte[] content) {}

    /** The ref's full name. */
    public String ref() {
        return ref;
    }

    /** The file as the local copy of the ref holds it; empty while the ref does not exist. */
    public Optional<Version> read() {
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            Ref r = repo.exactRef(ref);
            if (r == null) {
                return Optional.empty();
            }
            RevCommit c = walk.parseCommit(r.getObjectId());
            try (TreeWalk tw = TreeWalk.forPath(reader, file, c.getTree())) {
                byte[] bytes = tw == null
                        ? new byte[0]
                        : reader.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes();
                return Optional.of(new Version(c.name(), bytes));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces the file if the ref is still at {@code expected} (empty = the ref must not exist yet).
     *
     * @return the new version, or empty when another writer moved the ref first (fetch, merge, try again)
     * @throws RemoteUnavailableException the remote did not answer; nothing changed
     */
    public Optional<Version> replace(Optional<String> expected, byte[] content, Author author, String message) {
        lock.lock();
        try {
            try {
                ObjectId old = expected.map(ObjectId::fromString).orElse(null);
                Ref now = repo.exactRef(ref);
                if (!Objects.equals(now == null ? null : now.getObjectId(), old) && origin == null) {
                    return Optional.empty();
                }
                ObjectId commit;
                try (ObjectInserter ins = repo.newObjectInserter()) {
                    ObjectId blob = ins.insert(Constants.OBJ_BLOB, content);
                    Map<String, TreeEditor.Edit> edits = new TreeMap<>();
                    edits.put(file, new TreeEditor.Edit(blob, FileMode.REGULAR_FILE));
                    ObjectId tree;
                    try (ObjectReader reader = repo.newObjectReader()) {
                        tree = new TreeEditor(reader, ins).apply(null, edits);
                    }
                    CommitBuilder cb = new CommitBuilder();
                    cb.setTreeId(tree);
                    if (old != null) {
                        cb.setParentId(old);
                    }
                    PersonIdent who = new PersonIdent(author.name(), author.email());
                    cb.setAuthor(who);
                    cb.setCommitter(who);
                    cb.setMessage(message.stripTrailing() + "\n");
                    commit = ins.insert(cb);
                    ins.flush();
                }
                if (origin != null) {
                    return origin.push(ref, old, commit) == RemoteBranch.Push.DONE
                            ? Optional.of(new Version(commit.name(), content))
                            : Optional.empty();
                }
                RefUpdate u = repo.updateRef(ref);
                u.setExpectedOldObjectId(old == null ? ObjectId.zeroId() : old);
                u.setNewObjectId(commit);
                RefUpdate.Result r = u.update();
                return switch (r) {
                    case NEW, FAST_FORWARD, FORCED -> Optional.of(new Version(commit.name(), content));
                    case LOCK_FAILURE, REJECTED -> Optional.empty();
                    default -> throw new IOException("updating " + ref + " failed: " + r);
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (TreeEditor.PathCollision e) {
                throw new IllegalStateException(e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fetches the remote's refs now (no-op without a remote). */
    public void fetch() {
        if (origin != null) {
            fetcher.run();
        }
    }
}
