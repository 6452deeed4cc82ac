package dev.gavel.store.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Reads files and commits at any revision straight from the object database (no checkout), checking every blob's
 * size before loading it. Also the tree helpers the other parts share ({@link #entryAt}, {@link #directFiles}).
 */
final class RevisionReader {
    /** Largest file read from a commit (1 MiB, the policy file limit); a larger one is reported, never loaded. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final ServedBranch branch;
    private final Repository repo;
    /**
     * The blobs of the last {@link #filesAt} call, by id (a blob's bytes never change for its id). A write reads
     * every file at head to validate the change; reading ~1,000 blobs from the object database took 62 of the
     * 90 ms of a write at 1,000 policies (BENCHMARKS.md "Write to served"); consecutive revisions share nearly
     * all of their blobs, so the next call reads only the changed ones. Replaced whole by each call: it holds one
     * revision's files, no more.
     */
    private volatile Map<ObjectId, byte[]> lastBlobs = Map.of();

    RevisionReader(ServedBranch branch) {
        this.branch = branch;
        this.repo = branch.repo();
    }

    /** See {@link GitPolicyRepository#filesAt(String)}. */
    RepoFiles filesAt(String revision) {
        ObjectId id = branch.resolveId(revision);
        TreeMap<String, byte[]> files = new TreeMap<>();
        TreeMap<String, String> unreadable = new TreeMap<>();
        Map<ObjectId, byte[]> cached = lastBlobs;
        Map<ObjectId, byte[]> blobs = new java.util.HashMap<>();
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader);
                TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(walk.parseCommit(id).getTree());
            tw.setRecursive(true);
            tw.setFilter(
                    PathFilterGroup.createFromStrings(RepoPaths.POLICIES, RepoPaths.TESTS, RepoPaths.SETTINGS_FILE));
            while (tw.next()) {
                String path = tw.getPathString();
                FileMode mode = tw.getFileMode(0);
                if (FileMode.SYMLINK.equals(mode)) {
                    unreadable.put(path, "a symbolic link: files here must be regular files (links are not followed)");
                } else if (FileMode.GITLINK.equals(mode)) {
                    unreadable.put(path, "a submodule: files here must be regular files");
                } else if (isFile(mode)) {
                    ObjectId blob = tw.getObjectId(0);
                    byte[] known = cached.get(blob);
                    if (known != null) {
                        files.put(path, known);
                        blobs.put(blob, known);
                        continue;
                    }
                    // The size first: opening a huge blob would load it whole (an outage, not a diagnostic).
                    long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
                    if (size > MAX_FILE_BYTES) {
                        unreadable.put(path, tooLarge(size));
                    } else {
                        byte[] bytes = reader.open(blob, Constants.OBJ_BLOB).getBytes();
                        files.put(path, bytes);
                        blobs.put(blob, bytes);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastBlobs = blobs;
        return new RepoFiles(id.name(), files, unreadable);
    }

    /** See {@link GitPolicyRepository#fileAt(String, String)}. */
    Optional<byte[]> fileAt(String revision, String path) {
        RepoPaths.requireSafePaths(List.of(path));
        ObjectId id = branch.resolveId(revision);
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            TreeEditor.Edit e = entryAt(reader, walk.parseCommit(id).getTree(), path);
            return e == null || !isFile(e.mode()) ? Optional.empty() : Optional.of(readBlob(reader, e.blob(), path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** See {@link GitPolicyRepository#commitDetails(String)}. */
    CommitDetails commitDetails(String revision) {
        ObjectId id = branch.resolveId(revision);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader);
                TreeWalk tw = new TreeWalk(reader);
                DiffFormatter df = new DiffFormatter(text)) {
            RevCommit c = walk.parseCommit(id);
            RevCommit parent = c.getParentCount() > 0 ? walk.parseCommit(c.getParent(0)) : null;
            tw.setRecursive(true);
            tw.setFilter(TreeFilter.ANY_DIFF);
            CommitInfo info = HistoryIndex.describe(c, parent, tw);
            df.setReader(reader, repo.getConfig());
            df.setDetectRenames(false);
            List<FileDiff> diffs = new ArrayList<>();
            for (DiffEntry e : df.scan(parent == null ? null : parent.getTree(), c.getTree())) {
                diffs.add(fileDiff(reader, df, text, e));
            }
            return new CommitDetails(info, diffs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One entry of a commit's diff; a side over the size limit is neither loaded nor diffed. */
    private static FileDiff fileDiff(ObjectReader reader, DiffFormatter df, ByteArrayOutputStream text, DiffEntry e)
            throws IOException {
        boolean oldLarge = isFile(e.getOldMode())
                && e.getChangeType() != DiffEntry.ChangeType.ADD
                && reader.getObjectSize(e.getOldId().toObjectId(), Constants.OBJ_BLOB) > MAX_FILE_BYTES;
        boolean newLarge = isFile(e.getNewMode())
                && e.getChangeType() != DiffEntry.ChangeType.DELETE
                && reader.getObjectSize(e.getNewId().toObjectId(), Constants.OBJ_BLOB) > MAX_FILE_BYTES;
        String unified;
        if (oldLarge || newLarge) {
            unified = "(not shown: a side of this change is larger than " + MAX_FILE_BYTES + " bytes)\n";
        } else {
            df.format(e);
            df.flush();
            unified = text.toString(StandardCharsets.UTF_8);
            text.reset();
        }
        ChangeKind kind = switch (e.getChangeType()) {
            case ADD -> ChangeKind.ADDED;
            case DELETE -> ChangeKind.DELETED;
            default -> ChangeKind.MODIFIED;
        };
        Optional<byte[]> before = kind == ChangeKind.ADDED || !isFile(e.getOldMode()) || oldLarge
                ? Optional.empty()
                : Optional.of(reader.open(e.getOldId().toObjectId()).getBytes());
        Optional<byte[]> after = kind == ChangeKind.DELETED || !isFile(e.getNewMode()) || newLarge
                ? Optional.empty()
                : Optional.of(reader.open(e.getNewId().toObjectId()).getBytes());
        return new FileDiff(kind == ChangeKind.DELETED ? e.getOldPath() : e.getNewPath(), kind, before, after, unified);
    }

    /** See {@link GitPolicyRepository#hasCommit(String)}. */
    boolean hasCommit(String id) {
        if (id == null || !id.matches("[0-9a-f]{4,40}")) {
            return false;
        }
        try {
            branch.resolveId(id);
            return true;
        } catch (UnknownRevisionException e) {
            return false;
        }
    }

    /** See {@link GitPolicyRepository#isAncestor(String, String)}. */
    boolean isAncestor(String ancestor, String descendant) {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(
                    walk.parseCommit(branch.resolveId(ancestor)), walk.parseCommit(branch.resolveId(descendant)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tooLarge(long size) {
        return "the file is " + size + " bytes; files here are at most " + MAX_FILE_BYTES + " bytes (1 MiB)";
    }

    /** A blob's bytes, after checking its size: never an unbounded object in memory. */
    static byte[] readBlob(ObjectReader reader, ObjectId blob, String path) throws IOException {
        long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
        if (size > MAX_FILE_BYTES) {
            throw new FileTooLargeException(path, size, tooLarge(size));
        }
        return reader.open(blob, Constants.OBJ_BLOB).getBytes();
    }

    /** The files directly in {@code dir} (not in its subdirectories), by repo-relative path. */
    static Map<String, TreeEditor.Edit> directFiles(ObjectReader reader, RevTree tree, String dir) throws IOException {
        Map<String, TreeEditor.Edit> out = new LinkedHashMap<>();
        try (TreeWalk at = TreeWalk.forPath(reader, dir, tree)) {
            if (at == null || !FileMode.TREE.equals(at.getFileMode(0))) {
                return out;
            }
            try (TreeWalk w = new TreeWalk(reader)) {
                w.addTree(at.getObjectId(0));
                w.setRecursive(false);
                while (w.next()) {
                    if (isFile(w.getFileMode(0))) {
                        out.put(dir + "/" + w.getPathString(), new TreeEditor.Edit(w.getObjectId(0), w.getFileMode(0)));
                    }
                }
            }
        }
        return out;
    }

    /** The entry at {@code path} in {@code tree} (null tree = empty), or null. */
    static TreeEditor.Edit entryAt(ObjectReader reader, RevTree tree, String path) throws IOException {
        if (tree == null) {
            return null;
        }
        try (TreeWalk tw = TreeWalk.forPath(reader, path, tree)) {
            return tw == null ? null : new TreeEditor.Edit(tw.getObjectId(0), tw.getFileMode(0));
        }
    }

    static boolean isFile(FileMode mode) {
        return FileMode.REGULAR_FILE.equals(mode) || FileMode.EXECUTABLE_FILE.equals(mode);
    }
}
