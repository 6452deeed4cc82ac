package dev.gavel.store.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The repository and the branch it serves, shared by the parts of {@link GitPolicyRepository}: the branch ref, the
 * remote it follows (if any), the lock that serializes this process's moves of the ref, and revision resolution.
 */
final class ServedBranch {
    private final Repository repo;
    private final String name;
    private final String refName;
    /** Fetch, push and what was seen of the remote; null when the repository is local. */
    private final RemoteBranch origin;
    /** Fair: writers queue in arrival order instead of one starving behind the others' retries. */
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private volatile boolean closed;

    ServedBranch(Repository repo, String name, boolean remote) {
        this.repo = repo;
        this.name = name;
        this.refName = Constants.R_HEADS + name;
        this.origin = remote ? new RemoteBranch(repo, refName) : null;
    }

    Repository repo() {
        return repo;
    }

    /** The branch's short name ({@code main}). */
    String name() {
        return name;
    }

    /** The branch's full ref name ({@code refs/heads/main}). */
    String refName() {
        return refName;
    }

    boolean isRemote() {
        return origin != null;
    }

    /** The remote the branch follows, or null for a local repository. */
    RemoteBranch origin() {
        return origin;
    }

    /** Held by whatever moves the branch ref from this process (a write, a fetch), so they never interleave. */
    ReentrantLock writeLock() {
        return writeLock;
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    /** The branch head, or null while the branch has no commit. */
    ObjectId readHead() {
        try {
            Ref r = repo.exactRef(refName);
            return r == null ? null : r.getObjectId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The commit a revision names; {@code HEAD}, null or blank mean the branch head.
     *
     * @throws UnknownRevisionException unknown, ambiguous or not a commit
     */
    ObjectId resolveId(String revision) {
        if (revision == null || revision.isBlank() || revision.equals(Constants.HEAD)) {
            ObjectId h = readHead();
            if (h == null) {
                throw new UnknownRevisionException("branch " + name + " has no commits yet");
            }
            return h;
        }
        if (revision.length() > 256 || revision.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new UnknownRevisionException(
                    "not a revision: '" + revision.substring(0, Math.min(40, revision.length())) + "'");
        }
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId id = repo.resolve(revision);
            if (id == null) {
                throw new UnknownRevisionException("unknown revision '" + revision + "'");
            }
            return walk.parseCommit(id).copy(); // peels annotated tags; a tree or blob is refused
        } catch (AmbiguousObjectException e) {
            throw new UnknownRevisionException(
                    "'" + revision + "' is ambiguous: give more characters of the commit id");
        } catch (RevisionSyntaxException | IncorrectObjectTypeException | MissingObjectException e) {
            throw new UnknownRevisionException("'" + revision + "' is not a commit");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
