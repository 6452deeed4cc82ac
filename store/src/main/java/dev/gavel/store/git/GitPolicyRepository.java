package dev.gavel.store.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * The policies repository: reads files at any commit without a checkout, numbers scope versions on the served
 * branch's first-parent line, and writes change sets as commits with compare-and-swap on the branch ref.
 *
 * <p>Serve a bare repository. Commits go straight to the object database and the branch ref; in a repository with
 * a work tree, that work tree and its index are left as they were, so {@code git status} there shows each change
 * as undone until someone runs {@code git reset}.
 *
 * <p>Thread-safe. Reads never block; writes from this process are serialized (they would only lose CAS races to
 * each other), and the CAS on the ref protects against every other writer ({@code git push}, another process).
 * Query methods throw {@link GitStoreException}s for bad requests and {@link UncheckedIOException} when the
 * repository itself cannot be read.
 *
 * <p>The one public face of the package; the work is done by package-private parts, one per responsibility:
 * {@link RepositoryOpener} (open, clone, init), {@link RevisionReader} (files and commits at a revision), {@link
 * ScopeHistory} (the first-parent line, scope versions), {@link CommitPublisher} (compare-and-swap commits and
 * pushes), {@link BranchWatcher} (polling, fetching, telling watchers) and {@link RepositoryPacker}.
 */
public final class GitPolicyRepository implements AutoCloseable {
    /** Commits written through the store between two automatic packs. */
    public static final int DEFAULT_PACK_EVERY = 200;
    /** A clone also gets a pack per fetch that brings something: pack sooner. */
    static final int REMOTE_PACK_EVERY = 50;
    /** How often {@link #watch(Consumer)} polls the branch. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Largest file read from a commit (1 MiB, the policy file limit); a larger one is reported, never loaded. */
    public static final long MAX_FILE_BYTES = RevisionReader.MAX_FILE_BYTES;

    private final ServedBranch branch;
    private final RevisionReader reader;
    private final ScopeHistory history;
    private final RepositoryPacker packer;
    private final BranchWatcher watcher;
    private final CommitPublisher publisher;
    /** Test seam: runs between building a commit and the ref update, to provoke a lost CAS race. */
    volatile Runnable beforePublish = () -> {};

    GitPolicyRepository(Repository repo, String branchName, boolean remote, int packEvery) {
        this.branch = new ServedBranch(repo, branchName, remote);
        this.reader = new RevisionReader(branch);
        this.history = new ScopeHistory(branch);
        this.packer = new RepositoryPacker(repo, packEvery);
        this.watcher = new BranchWatcher(branch, history, packer);
        this.publisher = new CommitPublisher(branch, watcher, () -> beforePublish.run());
    }

    /**
     * Fault injection (tests only): {@code hook} runs in every write between building its commits and moving the
     * branch (pushing), e.g. to make another writer move it first. Not for production use.
     */
    public void beforePublish(Runnable hook) {
        beforePublish = java.util.Objects.requireNonNull(hook, "hook");
    }

    // ---------------------------------------------------------------------------------------------- opening

    /** Opens an existing repository (bare, or a work tree with {@code .git}) serving {@code branch}. */
    public static GitPolicyRepository open(Path dir, String branch) throws IOException {
        return open(dir, branch, DEFAULT_PACK_EVERY);
    }

    /** As {@link #open(Path, String)}; {@code packEveryCommits} 0 turns automatic packing off. */
    public static GitPolicyRepository open(Path dir, String branch, int packEveryCommits) throws IOException {
        return RepositoryOpener.open(dir, branch, packEveryCommits);
    }

    /**
     * Serves {@code branch} of a remote repository: cloned bare into {@code dataDir} the first time, fetched when
     * {@code dataDir} already holds a clone of the same URL. Writes are pushed to the remote with the expected old
     * head (the remote is the source of truth); {@link #refreshNow()} and polling fetch first.
     */
    public static GitPolicyRepository cloneRemote(String url, Path dataDir, String branch) throws IOException {
        return RepositoryOpener.cloneRemote(url, dataDir, branch);
    }

    /**
     * Creates a repository in {@code dir} (which must not be one already) with one commit holding {@code files}
     * (repo-relative path to content). A non-bare repository gets the files in its work tree and is committed
     * through JGit's porcelain, so {@code git status} is clean afterwards; a bare one is committed directly.
     * Paths must be safe relative paths (see {@link RepoPaths#safePathProblem}); the policy layout is not enforced
     * here so a template may carry a README or a CI workflow.
     */
    public static GitPolicyRepository initFromFiles(
            Path dir, Map<String, byte[]> files, boolean bare, String branch, Author author, String message)
            throws IOException {
        return RepositoryOpener.initFromFiles(dir, files, bare, branch, author, message);
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** The served branch's name ({@code main}). */
    public String branch() {
        return branch.name();
    }

    public boolean isBare() {
        return branch.repo().isBare();
    }

    /** The Git directory (the repository itself when bare, else its {@code .git}). */
    public Path gitDirectory() {
        return branch.repo().getDirectory().toPath();
    }

    /** The served branch's head, empty while the branch has no commit. */
    public Optional<String> head() {
        return Optional.ofNullable(branch.readHead()).map(ObjectId::name);
    }

    /** The newest commit on the served branch. */
    public Optional<CommitInfo> latest() {
        return history.latest();
    }

    /**
     * The full id of a commit named by a ref, a (short) id or a revision expression; {@code HEAD}, {@code null} or
     * blank mean the served branch's head.
     *
     * @throws UnknownRevisionException unknown, ambiguous or not a commit
     */
    public String resolve(String revision) {
        return branch.resolveId(revision).name();
    }

    /** Every file under {@code policies/} and {@code tests/}, and {@code gavel.yaml}, at a commit. */
    public RepoFiles filesAt(String revision) {
        return reader.filesAt(revision);
    }

    /** One file at a commit, empty when it does not exist there. */
    public Optional<byte[]> fileAt(String revision, String path) {
        return reader.fileAt(revision, path);
    }

    /** Commits on the first-parent line that changed {@code path} (a file, or anything under a directory), newest first. */
    public List<CommitInfo> history(String path) {
        return history.history(path);
    }

    /** A scope's versions, newest first (the first element has the highest number). */
    public List<ScopeVersion> versions(String scope) {
        return history.versions(scope);
    }

    /** A scope's direct files as of its version {@code number}. */
    public ScopeSnapshot scopeAtVersion(String scope, int number) {
        return history.scopeAtVersion(scope, number);
    }

    /** A commit with the per-file diff against its first parent. */
    public CommitDetails commitDetails(String revision) {
        return reader.commitDetails(revision);
    }

    /** A page of the first-parent line, newest first, skipping {@code offset} commits. */
    public CommitPage commits(int offset, int limit) {
        return history.commits(offset, limit);
    }

    /** The page after the commit {@code cursor} (a {@link CommitPage#nextCursor()}), newest first. */
    public CommitPage commitsAfter(String cursor, int limit) {
        return history.commitsAfter(cursor, limit);
    }

    /** Created/updated stamps of a file present at head. */
    public Optional<FileStamp> fileStamp(String path) {
        return Optional.ofNullable(history.fileStamps().get(path));
    }

    /**
     * The branch version of a commit: 1 + its position on the served branch's first-parent line (the root is 1).
     * Every replica of one remote numbers the same line alike, so a version is a fence token as good as a commit id.
     */
    public java.util.OptionalInt branchVersion(String commit) {
        int v = history.branchVersion(resolve(commit));
        return v < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(v);
    }

    /** Created/updated stamps of the files present at a commit of the served branch's first-parent line, by path. */
    public Map<String, FileStamp> fileStampsAt(String commit) {
        return history.fileStampsAt(resolve(commit));
    }

    /** Created/updated stamps of every file present at head, by path. */
    public Map<String, FileStamp> fileStamps() {
        return history.fileStamps();
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Writes a change set as one commit on the served branch.
     *
     * <p>Without {@code expectedHead} the change is based on the head found at write time; if another writer moves
     * the branch before the ref update, the commit is rebuilt on the new head unless one of its paths changed in
     * between. With {@code expectedHead} (HTTP If-Match), any change to its paths since that head is a conflict.
     * Leaving the tree as it was makes no commit ({@link CommitResult#created()} false).
     *
     * @throws InvalidRepoPathException a path breaks the layout rules (nothing is written)
     * @throws ConflictException a touched path changed since the base head
     */
    public CommitResult commit(ChangeSet changes, Author author, String message, Optional<String> expectedHead) {
        return publisher.commit(changes, author, message, expectedHead);
    }

    /** As {@link #commit(ChangeSet, Author, String, Optional)} without an expected head. */
    public CommitResult commit(ChangeSet changes, Author author, String message) {
        return commit(changes, author, message, Optional.empty());
    }

    /** Packs the repository now (JGit gc), in the caller's thread. */
    public void packNow() {
        packer.packNow();
    }

    // ---------------------------------------------------------------------------------------------- watching

    /** Polls the branch every second; see {@link #watch(Duration, Consumer)}. */
    public HeadWatch watch(Consumer<HeadChange> listener) {
        return watch(DEFAULT_POLL_INTERVAL, listener);
    }

    /**
     * Tells {@code listener} of every move of the served branch from now on (pushes, merges, this store's own
     * writes), polling the ref every {@code interval} on a daemon thread (fetching first for a remote) and on
     * {@link #refreshNow()}. Changes arrive one at a time, in order; a failing listener is logged and kept.
     */
    public HeadWatch watch(Duration interval, Consumer<HeadChange> listener) {
        return watcher.watch(interval, listener);
    }

    /**
     * Checks for new commits now (fetching first for a remote repository), tells the watchers in this thread, and
     * returns the head.
     */
    public Optional<String> refreshNow() {
        try {
            watcher.refresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return head();
    }

    // ---------------------------------------------------------------------------------------------- fleet

    /** What this clone last saw of its remote; empty for a local repository. */
    public Optional<RemoteStatus> remoteStatus() {
        return Optional.ofNullable(branch.origin()).map(RemoteBranch::status);
    }

    /** Whether {@code id} names a commit in this repository (full or abbreviated hex only). */
    public boolean hasCommit(String id) {
        return reader.hasCommit(id);
    }

    /** Whether commit {@code ancestor} is {@code descendant} or one of its ancestors (both must exist). */
    public boolean isAncestor(String ancestor, String descendant) {
        return reader.isAncestor(ancestor, descendant);
    }

    /** Commits on the branch's first-parent line after {@code older} up to the head; -1 when it is not on the line. */
    public int commitsBehindHead(String older) {
        return history.commitsBehindHead(older);
    }

    /**
     * A file kept on {@code refs/gavel/<name>} of the same repository (and remote), fetched with the branch.
     *
     * @param name a ref name segment such as {@code keys}
     * @param file the file's path in the ref's tree
     */
    public SharedRef sharedRef(String name, String file) {
        if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new IllegalArgumentException("'" + name + "' is not a shared ref name");
        }
        RepoPaths.requireSafePaths(List.of(file));
        return new SharedRef(branch.repo(), name, file, branch.origin(), branch.writeLock(), () -> {
            try {
                watcher.fetch();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Stops polling and background packing, and closes the repository. */
    @Override
    public void close() {
        if (branch.isClosed()) {
            return;
        }
        branch.markClosed();
        watcher.shutdown();
        packer.shutdown();
        try {
            watcher.awaitTermination();
            packer.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        branch.repo().close();
    }

    // ---------------------------------------------------------------------------------------------- parts

    /** For {@link RepositoryOpener}: the first commit of a new repository. */
    CommitPublisher publisher() {
        return publisher;
    }

    /** For {@link RepositoryOpener}: the first fetch of a clone. */
    BranchWatcher watcher() {
        return watcher;
    }
}
