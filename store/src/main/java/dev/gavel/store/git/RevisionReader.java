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
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
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
     * The last {@link #filesAt} answer and its tree. A write reads every file at head to validate the change;
     * walking and loading a whole 10,000-file tree took 50-60 ms per write (BENCHMARKS.md "Write to served"),
     * although consecutive revisions differ in a file or two. The next read walks only the subtrees whose ids
     * differ from this one's (a two-tree walk skips equal subtrees without opening them), loads only the
     * changed blobs, and shares every unchanged file's byte array with this answer (so the compiler's
     * "same bytes" check is an identity check). Replaced whole by each call: any two trees diff correctly,
     * so a read of an old revision is only slower, never wrong.
     */
    private volatile LastRead last;

    private record LastRead(ObjectId tree, RepoFiles files) {}

    RevisionReader(ServedBranch branch) {
        this.branch = branch;
        this.repo = branch.repo();
    }

    /** See {@link GitPolicyRepository#filesAt(String)}. */
    RepoFiles filesAt(String revision) {
        ObjectId id = branch.resolveId(revision);
        LastRead before = last;
        TreeMap<String, byte[]> files =
                new TreeMap<>(before == null ? Map.of() : before.files().files());
        TreeMap<String, String> unreadable =
                new TreeMap<>(before == null ? Map.of() : before.files().unreadable());
        ObjectId tree;
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader);
                TreeWalk tw = new TreeWalk(reader)) {
            tree = walk.parseCommit(id).getTree().getId();
            if (before != null && before.tree().equals(tree)) {
                return new RepoFiles(
                        id.name(), before.files().files(), before.files().unreadable());
            }
            if (before == null) {
                tw.addTree(new EmptyTreeIterator());
            } else {
                tw.addTree(before.tree());
            }
            tw.addTree(tree);
            tw.setRecursive(true);
            tw.setFilter(AndTreeFilter.create(
                    PathFilterGroup.createFromStrings(RepoPaths.POLICIES, RepoPaths.TESTS, RepoPaths.SETTINGS_FILE),
                    TreeFilter.ANY_DIFF));
            while (tw.next()) {
                String path = tw.getPathString();
                files.remove(path);
                unreadable.remove(path);
                FileMode mode = tw.getFileMode(1);
                if (FileMode.SYMLINK.equals(mode)) {
                    unreadable.put(path, "a symbolic link: files here must be regular files (links are not followed)");
                } else if (FileMode.GITLINK.equals(mode)) {
                    unreadable.put(path, "a submodule: files here must be regular files");
                } else if (isFile(mode)) {
                    ObjectId blob = tw.getObjectId(1);
                    // The size first: opening a huge blob would load it whole (an outage, not a diagnostic).
                    long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
                    if (size > MAX_FILE_BYTES) {
                        unreadable.put(path, tooLarge(size));
                    } else {
                        files.put(path, reader.open(blob, Constants.OBJ_BLOB).getBytes());
                    }
                }
                // MISSING: deleted here (or a file that became a directory: its files come as their own entries).
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RepoFiles read = new RepoFiles(id.name(), files, unreadable);
        last = new LastRead(tree, read);
        return read;
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
