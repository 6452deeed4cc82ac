package dev.gavel.store.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Applies file edits to a tree, rewriting only the trees on the edited paths (the other subtrees are reused by
 * id). A DirCache would read and rehash the whole tree: 2-9 ms instead of ~20 ms per commit at 10,000 files.
 */
final class TreeEditor {
    /** Set a file to a blob ({@code blob} non-null) or delete it ({@code blob} null). */
    record Edit(ObjectId blob, FileMode mode) {
        static final Edit DELETE = new Edit(null, null);

        boolean isDelete() {
            return blob == null;
        }
    }

    /** A put whose path crosses an existing file, or lands on an existing directory. */
    static final class PathCollision extends Exception {
        PathCollision(String message) {
            super(message, null, false, false);
        }
    }

    private record Entry(byte[] name, FileMode mode, ObjectId id) {
        boolean isTree() {
            return FileMode.TREE.equals(mode);
        }
    }

    private final ObjectReader reader;
    private final ObjectInserter inserter;

    TreeEditor(ObjectReader reader, ObjectInserter inserter) {
        this.reader = reader;
        this.inserter = inserter;
    }

    /** The id of {@code tree} (null = empty) with {@code edits} (repo-relative path to edit) applied. */
    ObjectId apply(ObjectId tree, Map<String, Edit> edits) throws IOException, PathCollision {
        ObjectId result = rewrite(tree, edits, "");
        return result != null ? result : inserter.insert(new TreeFormatter());
    }

    /** Returns null when the rewritten tree is empty (Git stores no empty subtrees). */
    private ObjectId rewrite(ObjectId tree, Map<String, Edit> edits, String prefix) throws IOException, PathCollision {
        Map<String, Entry> entries = new HashMap<>();
        if (tree != null) {
            CanonicalTreeParser p = new CanonicalTreeParser(null, reader, tree);
            for (; !p.eof(); p.next()) {
                byte[] name = new byte[p.getNameLength()];
                p.getName(name, 0);
                entries.put(
                        new String(name, StandardCharsets.UTF_8),
                        new Entry(name, p.getEntryFileMode(), p.getEntryObjectId()));
            }
        }
        Map<String, Map<String, Edit>> nested = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, Edit> e : edits.entrySet()) {
            String path = e.getKey();
            int slash = path.indexOf('/');
            if (slash >= 0) {
                nested.computeIfAbsent(path.substring(0, slash), k -> new TreeMap<>())
                        .put(path.substring(slash + 1), e.getValue());
                continue;
            }
            Entry existing = entries.get(path);
            if (existing != null && existing.isTree()) {
                if (e.getValue().isDelete()) {
                    continue; // deleting a file that is not there
                }
                throw new PathCollision(prefix + path + " is a directory");
            }
            if (e.getValue().isDelete()) {
                changed |= entries.remove(path) != null;
            } else {
                Entry next = new Entry(
                        path.getBytes(StandardCharsets.UTF_8),
                        e.getValue().mode(),
                        e.getValue().blob());
                changed |= existing == null
                        || !existing.id().equals(next.id())
                        || !existing.mode().equals(next.mode());
                entries.put(path, next);
            }
        }
        for (Map.Entry<String, Map<String, Edit>> e : nested.entrySet()) {
            String dir = e.getKey();
            Entry existing = entries.get(dir);
            if (existing != null && !existing.isTree()) {
                if (e.getValue().values().stream().allMatch(Edit::isDelete)) {
                    continue; // deleting files under a file: they are not there
                }
                throw new PathCollision(prefix + dir + " is a file, not a directory");
            }
            ObjectId sub = rewrite(existing == null ? null : existing.id(), e.getValue(), prefix + dir + "/");
            if (sub == null) {
                changed |= entries.remove(dir) != null;
            } else if (existing == null || !existing.id().equals(sub)) {
                entries.put(dir, new Entry(dir.getBytes(StandardCharsets.UTF_8), FileMode.TREE, sub));
                changed = true;
            }
        }
        if (!changed && tree != null) {
            return tree;
        }
        if (entries.isEmpty()) {
            return null;
        }
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort(TreeEditor::gitOrder);
        TreeFormatter f = new TreeFormatter();
        for (Entry en : sorted) {
            f.append(en.name(), en.mode(), en.id());
        }
        return inserter.insert(f);
    }

    /** Git's tree order: bytewise, a directory compared as if its name ended in '/'. */
    private static int gitOrder(Entry a, Entry b) {
        int n = Math.min(a.name().length, b.name().length);
        int c = Arrays.compareUnsigned(a.name(), 0, n, b.name(), 0, n);
        if (c != 0) {
            return c;
        }
        int ca = a.name().length > n ? a.name()[n] & 0xff : a.isTree() ? '/' : 0;
        int cb = b.name().length > n ? b.name()[n] & 0xff : b.isTree() ? '/' : 0;
        return Integer.compare(ca, cb);
    }
}
