package dev.gavel.store.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The served branch's first-parent line: commit pages, a path's history, scope versions and file stamps, all
 * answered from a {@link HistoryIndex} kept up to date with the branch head (moved on the first query after the
 * head moves, not by the writer, so a push from outside is seen the same way as a write from here).
 */
final class ScopeHistory {
    private final ServedBranch branch;
    /** Only one thread extends the index; readers of a current index never wait. */
    private final ReentrantLock indexLock = new ReentrantLock();

    private volatile HistoryIndex index = HistoryIndex.empty();

    ScopeHistory(ServedBranch branch) {
        this.branch = branch;
    }

    /** The index at the branch's current head, extended first if the head moved since the last query. */
    HistoryIndex index() {
        ObjectId head = branch.readHead();
        HistoryIndex idx = index;
        if (Objects.equals(idx.head(), head)) {
            return idx;
        }
        indexLock.lock();
        try (ObjectReader reader = branch.repo().newObjectReader()) {
            head = branch.readHead();
            idx = index;
            if (!Objects.equals(idx.head(), head)) {
                idx = idx.moveTo(reader, head);
                index = idx;
            }
            return idx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            indexLock.unlock();
        }
    }

    /** See {@link GitPolicyRepository#latest()}. */
    Optional<CommitInfo> latest() {
        List<CommitInfo> cs = index().commits();
        return cs.isEmpty() ? Optional.empty() : Optional.of(cs.get(cs.size() - 1));
    }

    /** See {@link GitPolicyRepository#history(String)}. */
    List<CommitInfo> history(String path) {
        RepoPaths.requireSafePaths(List.of(path));
        String under = path + "/";
        List<CommitInfo> cs = index().commits();
        List<CommitInfo> out = new ArrayList<>();
        for (int i = cs.size() - 1; i >= 0; i--) {
            for (FileChange f : cs.get(i).changes()) {
                if (f.path().equals(path) || f.path().startsWith(under)) {
                    out.add(cs.get(i));
                    break;
                }
            }
        }
        return out;
    }

    /** See {@link GitPolicyRepository#versions(String)}. */
    List<ScopeVersion> versions(String scope) {
        List<ScopeVersion> asc = scopeVersions(index(), scope);
        List<ScopeVersion> desc = new ArrayList<>(asc);
        Collections.reverse(desc);
        return desc;
    }

    /** See {@link GitPolicyRepository#scopeAtVersion(String, int)}. */
    ScopeSnapshot scopeAtVersion(String scope, int number) {
        ScopeVersion v = pick(scopeVersions(index(), scope), scope, number);
        Map<String, byte[]> files = new TreeMap<>();
        try (ObjectReader reader = branch.repo().newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            RevTree tree =
                    walk.parseCommit(ObjectId.fromString(v.commit().id())).getTree();
            String dir = RepoPaths.scopeDirectory(scope);
            for (Map.Entry<String, TreeEditor.Edit> e :
                    RevisionReader.directFiles(reader, tree, dir).entrySet()) {
                files.put(
                        e.getKey(), RevisionReader.readBlob(reader, e.getValue().blob(), e.getKey()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ScopeSnapshot(v, files);
    }

    /** See {@link GitPolicyRepository#commits(int, int)}. */
    CommitPage commits(int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
        }
        return page(index().commits(), offset, limit);
    }

    /** See {@link GitPolicyRepository#commitsAfter(String, int)}. */
    CommitPage commitsAfter(String cursor, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        HistoryIndex idx = index();
        int pos = idx.position(cursor);
        if (pos < 0) {
            throw new UnknownRevisionException("cursor '" + cursor + "' is not a commit on branch " + branch.name());
        }
        return page(idx.commits(), idx.commits().size() - pos, limit);
    }

    /** See {@link GitPolicyRepository#commitsBehindHead(String)}. */
    int commitsBehindHead(String older) {
        HistoryIndex idx = index();
        int pos = idx.position(older);
        return pos < 0 ? -1 : idx.commits().size() - 1 - pos;
    }

    /** Created/updated stamps of every file present at head, by path. */
    Map<String, FileStamp> fileStamps() {
        return index().stamps();
    }

    /** 1 + the commit's position on the first-parent line (the root is version 1); -1 when it is not on it. */
    int branchVersion(String commitId) {
        int pos = index().position(commitId);
        return pos < 0 ? -1 : pos + 1;
    }

    /** Stamps of the files present at a commit of the first-parent line (empty when it is not on it). */
    Map<String, FileStamp> fileStampsAt(String commitId) {
        return index().stampsAt(commitId);
    }

    private static List<ScopeVersion> scopeVersions(HistoryIndex idx, String scope) {
        return idx.scopeVersions(scope, RepoPaths.scopeDirectory(scope));
    }

    private ScopeVersion pick(List<ScopeVersion> ascending, String scope, int number) {
        if (number < 1 || number > ascending.size()) {
            String label = scope.isEmpty() ? "the global scope" : "scope '" + scope + "'";
            throw new UnknownRevisionException(
                    ascending.isEmpty()
                            ? label + " has no versions on branch " + branch.name()
                            : label + " has no version " + number + " (it has versions 1.." + ascending.size() + ")");
        }
        return ascending.get(number - 1);
    }

    private static CommitPage page(List<CommitInfo> ascending, int offset, int limit) {
        int total = ascending.size();
        List<CommitInfo> out = new ArrayList<>();
        for (int i = offset; i < total && out.size() < limit; i++) {
            out.add(ascending.get(total - 1 - i));
        }
        boolean more = offset + out.size() < total;
        return new CommitPage(
                out, total, more ? Optional.of(out.get(out.size() - 1).id()) : Optional.empty());
    }
}
