package dev.gavel.store.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * An immutable in-memory index of the first-parent line (oldest first), so history and version queries are list
 * filters instead of tree walks over thousands of commits. Extended incrementally when the head moves: only the
 * new commits are walked, back to the first commit already indexed (or to the root, which is a rebuild, e.g. after
 * a force push).
 */
final class HistoryIndex {
    private static final int MAX_CACHED_SCOPES = 10_000;

    private final ObjectId head;
    private final List<CommitInfo> commits;
    /**
     * Commit id to its depth on its first-parent line. A commit's depth is fixed by its ancestry, so all snapshots of
     * one repository share this map and only add to it; a lookup is valid when the snapshot holds that id there.
     */
    private final Map<String, Integer> depths;

    private final Map<String, List<ScopeVersion>> scopes = new ConcurrentHashMap<>();
    private volatile Map<String, FileStamp> stamps;

    private HistoryIndex(ObjectId head, List<CommitInfo> commits, Map<String, Integer> depths) {
        this.head = head;
        this.commits = commits;
        this.depths = depths;
    }

    /** An index of no commits, to be moved to the branch head. */
    static HistoryIndex empty() {
        return new HistoryIndex(null, List.of(), new ConcurrentHashMap<>());
    }

    ObjectId head() {
        return head;
    }

    /** Oldest first. */
    List<CommitInfo> commits() {
        return commits;
    }

    /** Position on the line (0 = root), or -1 when the commit is not on it. */
    int position(String commitId) {
        Integer p = commitId == null ? null : depths.get(commitId);
        return p != null && p < commits.size() && commits.get(p).id().equals(commitId) ? p : -1;
    }

    /** A scope's versions, oldest first; computed once per index and scope. */
    List<ScopeVersion> scopeVersions(String scope, String dir) {
        List<ScopeVersion> cached = scopes.get(dir);
        if (cached != null) {
            return cached;
        }
        List<ScopeVersion> out = new ArrayList<>();
        for (CommitInfo c : commits) {
            List<FileChange> direct = null;
            for (FileChange f : c.changes()) {
                if (RepoPaths.parentDirectory(f.path()).equals(dir)) {
                    if (direct == null) {
                        direct = new ArrayList<>();
                    }
                    direct.add(f);
                }
            }
            if (direct != null) {
                out.add(new ScopeVersion(scope, out.size() + 1, c, direct));
            }
        }
        List<ScopeVersion> result = List.copyOf(out);
        if (scopes.size() < MAX_CACHED_SCOPES) {
            scopes.put(dir, result);
        }
        return result;
    }

    /** The index for {@code newHead}, reusing this one's commits up to the newest one still on the line. */
    HistoryIndex moveTo(ObjectReader reader, ObjectId newHead) throws IOException {
        if (newHead == null) {
            return new HistoryIndex(null, List.of(), depths);
        }
        if (newHead.equals(head)) {
            return this;
        }
        List<CommitInfo> fresh = new ArrayList<>();
        int keep = 0;
        try (RevWalk walk = new RevWalk(reader);
                TreeWalk diff = new TreeWalk(reader)) {
            diff.setRecursive(true);
            diff.setFilter(TreeFilter.ANY_DIFF);
            RevCommit c = walk.parseCommit(newHead);
            while (c != null) {
                int known = position(c.name());
                if (known >= 0) {
                    keep = known + 1;
                    break;
                }
                RevCommit parent = c.getParentCount() > 0 ? c.getParent(0) : null;
                if (parent != null) {
                    walk.parseHeaders(parent);
                }
                fresh.add(describe(c, parent, diff));
                c.disposeBody();
                c = parent;
            }
        }
        Collections.reverse(fresh);
        List<CommitInfo> all = new ArrayList<>(keep + fresh.size());
        all.addAll(commits.subList(0, keep));
        all.addAll(fresh);
        for (int i = keep; i < all.size(); i++) {
            depths.put(all.get(i).id(), i);
        }
        return new HistoryIndex(newHead.copy(), Collections.unmodifiableList(all), depths);
    }

    /** A commit's metadata and its changes against its first parent. */
    static CommitInfo describe(RevCommit c, RevCommit firstParent, TreeWalk diff) throws IOException {
        diff.reset();
        if (firstParent == null) {
            diff.addTree(new EmptyTreeIterator());
        } else {
            diff.addTree(firstParent.getTree());
        }
        diff.addTree(c.getTree());
        List<FileChange> changes = new ArrayList<>();
        while (diff.next()) {
            changes.add(new FileChange(diff.getPathString(), kind(diff.getRawMode(0), diff.getRawMode(1))));
        }
        List<String> parents = new ArrayList<>(c.getParentCount());
        for (RevCommit p : c.getParents()) {
            parents.add(p.name());
        }
        var who = c.getAuthorIdent();
        return new CommitInfo(
                c.name(),
                parents,
                authorOf(who.getName(), who.getEmailAddress()),
                who.getWhenAsInstant(),
                c.getFullMessage(),
                changes);
    }

    /** Commits pushed by others may carry names our {@link Author} rule refuses; show them rather than fail. */
    private static Author authorOf(String name, String email) {
        String n = name == null || name.isBlank() ? "unknown" : name.replaceAll("[<>\\r\\n\\x00]", "?");
        String e = email == null || email.isBlank() ? "unknown" : email.replaceAll("[<>\\r\\n\\x00]", "?");
        return new Author(n, e);
    }

    static ChangeKind kind(int oldMode, int newMode) {
        if (oldMode == FileMode.MISSING.getBits()) {
            return ChangeKind.ADDED;
        }
        if (newMode == FileMode.MISSING.getBits()) {
            return ChangeKind.DELETED;
        }
        return ChangeKind.MODIFIED;
    }

    /** Created/updated stamps of every file present at head, computed once per index. */
    Map<String, FileStamp> stamps() {
        Map<String, FileStamp> s = stamps;
        if (s == null) {
            s = stampsThrough(commits.size() - 1);
            stamps = s;
        }
        return s;
    }

    /**
     * Stamps of the files present at a commit of the first-parent line (an older version of a scope): its
     * history up to and including that commit. Empty when the commit is not on the line.
     */
    Map<String, FileStamp> stampsAt(String commitId) {
        int at = position(commitId);
        return at < 0 ? Map.of() : stampsThrough(at);
    }

    private Map<String, FileStamp> stampsThrough(int last) {
        Map<String, FileStamp> m = new HashMap<>();
        for (int i = 0; i <= last; i++) {
            CommitInfo c = commits.get(i);
            for (FileChange f : c.changes()) {
                switch (f.kind()) {
                    case DELETED -> m.remove(f.path());
                    case ADDED ->
                        m.put(
                                f.path(),
                                new FileStamp(f.path(), c.time(), c.author(), c.id(), c.time(), c.author(), c.id()));
                    case MODIFIED -> {
                        FileStamp old = m.get(f.path());
                        m.put(
                                f.path(),
                                old == null
                                        ? new FileStamp(
                                                f.path(), c.time(), c.author(), c.id(), c.time(), c.author(), c.id())
                                        : new FileStamp(
                                                f.path(),
                                                old.createdAt(),
                                                old.createdBy(),
                                                old.createdIn(),
                                                c.time(),
                                                c.author(),
                                                c.id()));
                    }
                }
            }
        }
        return Collections.unmodifiableMap(new TreeMap<>(m));
    }
}
