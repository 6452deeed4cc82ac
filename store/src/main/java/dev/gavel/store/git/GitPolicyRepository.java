package dev.gavel.store.git;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.eclipse.jgit.api.AddCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class GitPolicyRepository implements AutoCloseable {
  /** Commits written through the store between two automatic packs. */
  public static final int DEFAULT_PACK_EVERY = 200;
  /** A clone also gets a pack per fetch that brings something: pack sooner. */
  static final int REMOTE_PACK_EVERY = 50;
  /** How often {@link #watch(Consumer)} polls the branch. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(GitPolicyRepository.class);
  private static final int MAX_ATTEMPTS = 1_000;
  private static final String ORIGIN = "origin";

  private final Repository repo;
  private final String branch;
  private final String refName;
  private final boolean remote;
  /** Fetch, push and what was seen of the remote; null when the repository is local. */
  private final RemoteBranch origin;
  private final int packEvery;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final ReentrantLock indexLock = new ReentrantLock();
  private final Object notifyLock = new Object();
  private final List<HeadWatch> watches = new CopyOnWriteArrayList<>();
  private final AtomicInteger writtenSincePack = new AtomicInteger();
  private final AtomicBoolean packing = new AtomicBoolean();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(daemon("gavel-git-watch"));
  private final ExecutorService packer = Executors.newSingleThreadExecutor(daemon("gavel-git-pack"));
  private volatile HistoryIndex index = HistoryIndex.empty();
  private volatile boolean closed;
  /** Test seam: runs between building a commit and the ref update, to provoke a lost CAS race. */
  volatile Runnable beforePublish = () -> {};

  private GitPolicyRepository(Repository repo, String branch, boolean remote, int packEvery) {
    this.repo = repo;
    this.branch = branch;
    this.refName = Constants.R_HEADS + branch;
    this.remote = remote;
    this.origin = remote ? new RemoteBranch(repo, refName) : null;
    this.packEvery = packEvery;
  }

  // ---------------------------------------------------------------------------------------------- opening

  /** Opens an existing repository (bare, or a work tree with {@code .git}) serving {@code branch}. */
  public static GitPolicyRepository open(Path dir, String branch) throws IOException {
    return open(dir, branch, DEFAULT_PACK_EVERY);
  }

  /** As {@link #open(Path, String)}; {@code packEveryCommits} 0 turns automatic packing off. */
  public static GitPolicyRepository open(Path dir, String branch, int packEveryCommits) throws IOException {
    checkBranch(branch);
    File gitDir = RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED);
    if (gitDir == null) {
      throw new IOException(dir + " is not a Git repository");
    }
    Repository r = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
    return new GitPolicyRepository(r, branch, false, packEveryCommits);
  }

  /**
   * Serves {@code branch} of a remote repository: cloned bare into {@code dataDir} the first time, fetched when
   * {@code dataDir} already holds a clone of the same URL. Writes are pushed to the remote with the expected old
   * head (the remote is the source of truth); {@link #refreshNow()} and polling fetch first.
   */
  public static GitPolicyRepository cloneRemote(String url, Path dataDir, String branch) throws IOException {
    checkBranch(branch);
    if (RepositoryCache.FileKey.isGitRepository(dataDir.toFile(), FS.DETECTED)) {
      Repository r = new FileRepositoryBuilder().setGitDir(dataDir.toFile()).setMustExist(true).build();
      String origin = r.getConfig().getString("remote", ORIGIN, "url");
      if (!sameUrl(url, origin)) {
        r.close();
        throw new IOException(dataDir + " holds a clone of " + origin + ", not of " + url);
      }
      GitPolicyRepository store = new GitPolicyRepository(r, branch, true, REMOTE_PACK_EVERY);
      try {
        store.fetch();
      } catch (RemoteUnavailableException e) {
        // A replica restarting while its remote is down serves what its clone holds; status reports the failure.
        LOG.warn("{}; serving the clone's last fetched head", e.getMessage());
      } catch (IOException | RuntimeException e) {
        store.close();
        throw e;
      }
      return store;
    }
    try (Git git = Git.cloneRepository()
        .setURI(url)
        .setDirectory(dataDir.toFile())
        .setBare(true)
        .setRemote(ORIGIN)
        .setBranchesToClone(List.of(Constants.R_HEADS + branch))
        .setBranch(Constants.R_HEADS + branch)
        .call()) {
      git.getRepository().getConfig().setString("remote", ORIGIN, "fetch", "+" + Constants.R_HEADS + branch + ":" + Constants.R_HEADS + branch);
      git.getRepository().getConfig().save();
    } catch (GitAPIException e) {
      throw new IOException("cloning " + url + " failed: " + e.getMessage(), e);
    }
    Repository r = new FileRepositoryBuilder().setGitDir(dataDir.toFile()).setMustExist(true).build();
    GitPolicyRepository store = new GitPolicyRepository(r, branch, true, REMOTE_PACK_EVERY);
    try {
      store.fetch(); // also the shared refs, and the remote's status starts with a successful fetch
    } catch (RemoteUnavailableException e) {
      LOG.warn("{}", e.getMessage());
    }
    if (store.head().isEmpty()) {
      LOG.warn("{} has no branch {} yet; serving an empty history", url, branch);
    }
    return store;
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
    checkBranch(branch);
    RepoPaths.requireSafePaths(files.keySet());
    String msg = requireMessage(message);
    if (RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED) != null) {
      throw new IOException(dir + " is already a Git repository");
    }
    Files.createDirectories(dir);
    if (bare) {
      try (Git ignored = Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch(branch).call()) {
        // created
      } catch (GitAPIException e) {
        throw new IOException("creating a repository in " + dir + " failed: " + e.getMessage(), e);
      }
      GitPolicyRepository store = open(dir, branch);
      try {
        store.publish(store.insertBlobs(files, Set.of()), author, msg, null, true);
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      return store;
    }
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call()) {
      Path root = dir.toAbsolutePath().normalize();
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Path target = root.resolve(f.getKey()).normalize();
        if (!target.startsWith(root)) {
          throw new InvalidRepoPathException(List.of("'" + f.getKey() + "' leaves the repository"));
        }
        Files.createDirectories(target.getParent());
        Files.write(target, f.getValue());
      }
      if (!files.isEmpty()) {
        AddCommand add = git.add();
        files.keySet().forEach(add::addFilepattern);
        add.call();
      }
      PersonIdent who = ident(author);
      git.commit().setAuthor(who).setCommitter(who).setMessage(msg).setAllowEmpty(true).setSign(false).call();
    } catch (GitAPIException e) {
      throw new IOException("creating a repository in " + dir + " failed: " + e.getMessage(), e);
    }
    return open(dir, branch);
  }

  // ---------------------------------------------------------------------------------------------- reading

  /** The served branch's name ({@code main}). */
  public String branch() {
    return branch;
  }

  public boolean isBare() {
    return repo.isBare();
  }

  /** The Git directory (the repository itself when bare, else its {@code .git}). */
  public Path gitDirectory() {
    return repo.getDirectory().toPath();
  }

  /** The served branch's head, empty while the branch has no commit. */
  public Optional<String> head() {
    return Optional.ofNullable(readHead()).map(ObjectId::name);
  }

  /** The newest commit on the served branch. */
  public Optional<CommitInfo> latest() {
    List<CommitInfo> cs = index().commits();
    return cs.isEmpty() ? Optional.empty() : Optional.of(cs.get(cs.size() - 1));
  }

  /**
   * The full id of a commit named by a ref, a (short) id or a revision expression; {@code HEAD}, {@code null} or
   * blank mean the served branch's head.
   *
   * @throws UnknownRevisionException unknown, ambiguous or not a commit
   */
  public String resolve(String revision) {
    return resolveId(revision).name();
  }

  /** Every file under {@code policies/} and {@code tests/}, and {@code gavel.yaml}, at a commit. */
  public RepoFiles filesAt(String revision) {
    ObjectId id = resolveId(revision);
    TreeMap<String, byte[]> files = new TreeMap<>();
    TreeMap<String, String> unreadable = new TreeMap<>();
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader);
        TreeWalk tw = new TreeWalk(reader)) {
      tw.addTree(walk.parseCommit(id).getTree());
      tw.setRecursive(true);
      tw.setFilter(PathFilterGroup.createFromStrings(RepoPaths.POLICIES, RepoPaths.TESTS, RepoPaths.SETTINGS_FILE));
      while (tw.next()) {
        String path = tw.getPathString();
        FileMode mode = tw.getFileMode(0);
        if (FileMode.SYMLINK.equals(mode)) {
          unreadable.put(path, "a symbolic link: files here must be regular files (links are not followed)");
        } else if (FileMode.GITLINK.equals(mode)) {
          unreadable.put(path, "a submodule: files here must be regular files");
        } else if (isFile(mode)) {
          // The size first: opening a huge blob would load it whole (an outage, not a diagnostic).
          long size = reader.getObjectSize(tw.getObjectId(0), Constants.OBJ_BLOB);
          if (size > MAX_FILE_BYTES) {
            unreadable.put(path, tooLarge(size));
          } else {
            files.put(path, reader.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RepoFiles(id.name(), files, unreadable);
  }

  /** Largest file read from a commit (1 MiB, the policy file limit); a larger one is reported, never loaded. */
  public static final long MAX_FILE_BYTES = 1 << 20;

  static String tooLarge(long size) {
    return "the file is " + size + " bytes; files here are at most " + MAX_FILE_BYTES + " bytes (1 MiB)";
  }

  /** A blob's bytes, after checking its size: never an unbounded object in memory. */
  private static byte[] readBlob(ObjectReader reader, ObjectId blob, String path) throws IOException {
    long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
    if (size > MAX_FILE_BYTES) {
      throw new FileTooLargeException(path, size, tooLarge(size));
    }
    return reader.open(blob, Constants.OBJ_BLOB).getBytes();
  }

  /** One file at a commit, empty when it does not exist there. */
  public Optional<byte[]> fileAt(String revision, String path) {
    RepoPaths.requireSafePaths(List.of(path));
    ObjectId id = resolveId(revision);
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      TreeEditor.Edit e = entryAt(reader, walk.parseCommit(id).getTree(), path);
      return e == null || !isFile(e.mode()) ? Optional.empty() : Optional.of(readBlob(reader, e.blob(), path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits on the first-parent line that changed {@code path} (a file, or anything under a directory), newest first. */
  public List<CommitInfo> history(String path) {
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

  /** A scope's versions, newest first (the first element has the highest number). */
  public List<ScopeVersion> versions(String scope) {
    List<ScopeVersion> asc = scopeVersions(index(), scope);
    List<ScopeVersion> desc = new ArrayList<>(asc);
    Collections.reverse(desc);
    return desc;
  }

  /** A scope's direct files as of its version {@code number}. */
  public ScopeSnapshot scopeAtVersion(String scope, int number) {
    ScopeVersion v = pick(scopeVersions(index(), scope), scope, number);
    Map<String, byte[]> files = new TreeMap<>();
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      RevTree tree = walk.parseCommit(ObjectId.fromString(v.commit().id())).getTree();
      for (Map.Entry<String, TreeEditor.Edit> e : directFiles(reader, tree, RepoPaths.scopeDirectory(scope)).entrySet()) {
        files.put(e.getKey(), readBlob(reader, e.getValue().blob(), e.getKey()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ScopeSnapshot(v, files);
  }

  /** A commit with the per-file diff against its first parent. */
  public CommitDetails commitDetails(String revision) {
    ObjectId id = resolveId(revision);
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
        boolean oldLarge = isFile(e.getOldMode()) && e.getChangeType() != DiffEntry.ChangeType.ADD
            && reader.getObjectSize(e.getOldId().toObjectId(), Constants.OBJ_BLOB) > MAX_FILE_BYTES;
        boolean newLarge = isFile(e.getNewMode()) && e.getChangeType() != DiffEntry.ChangeType.DELETE
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
            ? Optional.empty() : Optional.of(reader.open(e.getOldId().toObjectId()).getBytes());
        Optional<byte[]> after = kind == ChangeKind.DELETED || !isFile(e.getNewMode()) || newLarge
            ? Optional.empty() : Optional.of(reader.open(e.getNewId().toObjectId()).getBytes());
        diffs.add(new FileDiff(kind == ChangeKind.DELETED ? e.getOldPath() : e.getNewPath(), kind, before, after, unified));
      }
      return new CommitDetails(info, diffs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A page of the first-parent line, newest first, skipping {@code offset} commits. */
  public CommitPage commits(int offset, int limit) {
    if (offset < 0 || limit < 1) {
      throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
    }
    return page(index().commits(), offset, limit);
  }

  /** The page after the commit {@code cursor} (a {@link CommitPage#nextCursor()}), newest first. */
  public CommitPage commitsAfter(String cursor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1");
    }
    HistoryIndex idx = index();
    int pos = idx.position(cursor);
    if (pos < 0) {
      throw new UnknownRevisionException("cursor '" + cursor + "' is not a commit on branch " + branch);
    }
    return page(idx.commits(), idx.commits().size() - pos, limit);
  }

  /** Created/updated stamps of a file present at head. */
  public Optional<FileStamp> fileStamp(String path) {
    return Optional.ofNullable(index().stamps().get(path));
  }

  /** Created/updated stamps of the files present at a commit of the served branch's first-parent line, by path. */
  public Map<String, FileStamp> fileStampsAt(String commit) {
    return index().stampsAt(resolve(commit));
  }

  /** Created/updated stamps of every file present at head, by path. */
  public Map<String, FileStamp> fileStamps() {
    return index().stamps();
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
    Objects.requireNonNull(author, "author");
    RepoPaths.requirePolicyPaths(changes.paths());
    String msg = requireMessage(message);
    ObjectId expected = null;
    if (expectedHead.isPresent()) {
      try {
        expected = resolveId(expectedHead.get());
      } catch (UnknownRevisionException e) {
        throw new ConflictException("expected head '" + expectedHead.get() + "' is not a known commit",
            List.copyOf(changes.paths()), expectedHead, head());
      }
    }
    return publish(insertBlobs(changes.puts(), changes.deletes()), author, msg, expected, expectedHead.isPresent());
  }

  /** As {@link #commit(ChangeSet, Author, String, Optional)} without an expected head. */
  public CommitResult commit(ChangeSet changes, Author author, String message) {
    return commit(changes, author, message, Optional.empty());
  }

  /** Packs the repository now (JGit gc), in the caller's thread. */
  public void packNow() {
    try {
      Git.wrap(repo).gc().call();
    } catch (GitAPIException e) {
      throw new UncheckedIOException(new IOException("packing failed: " + e.getMessage(), e));
    }
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
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive");
    }
    Objects.requireNonNull(listener, "listener");
    HeadWatch w = new HeadWatch(this, listener, head());
    watches.add(w);
    long ms = Math.max(1, interval.toMillis());
    w.polling(poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS));
    return w;
  }

  /**
   * Checks for new commits now (fetching first for a remote repository), tells the watchers in this thread, and
   * returns the head.
   */
  public Optional<String> refreshNow() {
    try {
      refresh();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return head();
  }

  // ---------------------------------------------------------------------------------------------- fleet

  /** What this clone last saw of its remote; empty for a local repository. */
  public Optional<RemoteStatus> remoteStatus() {
    return Optional.ofNullable(origin).map(RemoteBranch::status);
  }

  /** Whether {@code id} names a commit in this repository (full or abbreviated hex only). */
  public boolean hasCommit(String id) {
    if (id == null || !id.matches("[0-9a-f]{4,40}")) {
      return false;
    }
    try {
      resolveId(id);
      return true;
    } catch (UnknownRevisionException e) {
      return false;
    }
  }

  /** Whether commit {@code ancestor} is {@code descendant} or one of its ancestors (both must exist). */
  public boolean isAncestor(String ancestor, String descendant) {
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.isMergedInto(walk.parseCommit(resolveId(ancestor)), walk.parseCommit(resolveId(descendant)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits on the branch's first-parent line after {@code older} up to the head; -1 when it is not on the line. */
  public int commitsBehindHead(String older) {
    HistoryIndex idx = index();
    int pos = idx.position(older);
    return pos < 0 ? -1 : idx.commits().size() - 1 - pos;
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
    return new SharedRef(repo, name, file, origin, writeLock, () -> {
      try {
        fetch();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Stops polling and background packing, and closes the repository. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (HeadWatch w : watches) {
      w.close();
    }
    poller.shutdown();
    packer.shutdown();
    try {
      poller.awaitTermination(30, TimeUnit.SECONDS);
      packer.awaitTermination(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    repo.close();
  }

  void remove(HeadWatch w) {
    watches.remove(w);
  }

  // ---------------------------------------------------------------------------------------------- internals

  private void poll() {
    try {
      boolean wasReachable = origin == null || origin.status().reachable();
      try {
        refresh();
        if (!wasReachable) {
          LOG.info("the remote answers again; branch {} fetched", branch);
        }
      } catch (RemoteUnavailableException e) {
        if (wasReachable) { // once per outage, not once per poll
          LOG.warn("{}; serving the last fetched head until it answers", e.getMessage());
        }
      }
    } catch (Exception e) {
      LOG.warn("checking branch {} for new commits failed: {}", branch, e.toString());
    }
  }

  private void refresh() throws IOException {
    if (remote) {
      fetch();
    }
    notifyWatches();
  }

  private void notifyWatches() {
    synchronized (notifyLock) {
      if (watches.isEmpty()) {
        return;
      }
      Optional<String> current = head();
      index(); // built before listeners run, so their history queries are quick
      for (HeadWatch w : watches) {
        HeadChange change = w.changeTo(current);
        if (change != null) {
          try {
            w.listener().accept(change);
          } catch (RuntimeException e) {
            LOG.warn("a head-change listener failed: {}", e.toString());
          }
        }
      }
    }
  }

  /** Fetches the served branch from origin into the local branch ref (forced: the remote is the truth). */
  private void fetch() throws IOException {
    writeLock.lock(); // a fetch moves the ref: keep it out of a write's push-then-update
    try {
      if (origin.fetch()) {
        afterWrite(); // each fetch that brings objects leaves a pack: count it toward the next repack
      }
    } finally {
      writeLock.unlock();
    }
  }

  private HistoryIndex index() {
    ObjectId head = readHead();
    HistoryIndex idx = index;
    if (Objects.equals(idx.head(), head)) {
      return idx;
    }
    indexLock.lock();
    try (ObjectReader reader = repo.newObjectReader()) {
      head = readHead();
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

  private ObjectId readHead() {
    try {
      Ref r = repo.exactRef(refName);
      return r == null ? null : r.getObjectId();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectId resolveId(String revision) {
    if (revision == null || revision.isBlank() || revision.equals(Constants.HEAD)) {
      ObjectId h = readHead();
      if (h == null) {
        throw new UnknownRevisionException("branch " + branch + " has no commits yet");
      }
      return h;
    }
    if (revision.length() > 256 || revision.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
      throw new UnknownRevisionException("not a revision: '" + revision.substring(0, Math.min(40, revision.length())) + "'");
    }
    try (RevWalk walk = new RevWalk(repo)) {
      ObjectId id = repo.resolve(revision);
      if (id == null) {
        throw new UnknownRevisionException("unknown revision '" + revision + "'");
      }
      return walk.parseCommit(id).copy(); // peels annotated tags; a tree or blob is refused
    } catch (AmbiguousObjectException e) {
      throw new UnknownRevisionException("'" + revision + "' is ambiguous: give more characters of the commit id");
    } catch (RevisionSyntaxException | IncorrectObjectTypeException | MissingObjectException e) {
      throw new UnknownRevisionException("'" + revision + "' is not a commit");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, TreeEditor.Edit> insertBlobs(Map<String, byte[]> puts, Set<String> deletes) {
    Map<String, TreeEditor.Edit> edits = new TreeMap<>();
    try (ObjectInserter ins = repo.newObjectInserter()) {
      for (Map.Entry<String, byte[]> p : puts.entrySet()) {
        edits.put(p.getKey(), new TreeEditor.Edit(ins.insert(Constants.OBJ_BLOB, p.getValue()), FileMode.REGULAR_FILE));
      }
      ins.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    deletes.forEach(d -> edits.put(d, TreeEditor.Edit.DELETE));
    return edits;
  }

  /**
   * Commits {@code edits} with compare-and-swap on the branch ref, retrying on a lost race unless a touched path
   * changed between the base and the new head. {@code explicitBase}: the base is {@code expected} (null = the
   * branch must not exist yet); otherwise it is the head found on the first attempt.
   */
  private CommitResult publish(
      Map<String, TreeEditor.Edit> edits, Author author, String message, ObjectId expected, boolean explicitBase) {
    writeLock.lock();
    try {
      ObjectId base = expected;
      boolean haveBase = explicitBase;
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        if (closed) {
          throw new IllegalStateException("the policy repository is closed");
        }
        ObjectId head = readHead();
        if (!haveBase) {
          base = head;
          haveBase = true;
        }
        ObjectId commit;
        try (ObjectReader reader = repo.newObjectReader();
            ObjectInserter ins = repo.newObjectInserter();
            RevWalk walk = new RevWalk(reader)) {
          RevTree headTree = head == null ? null : walk.parseCommit(head).getTree();
          if (!Objects.equals(base, head)) {
            RevTree baseTree = base == null ? null : walk.parseCommit(base).getTree();
            List<String> changed = new ArrayList<>();
            for (String p : edits.keySet()) {
              if (!Objects.equals(entryAt(reader, baseTree, p), entryAt(reader, headTree, p))) {
                changed.add(p);
              }
            }
            if (!changed.isEmpty()) {
              throw new ConflictException(
                  "changed since " + (base == null ? "the branch was created" : base.abbreviate(8).name())
                      + " by another commit: " + String.join(", ", changed),
                  changed, Optional.ofNullable(base).map(ObjectId::name), Optional.ofNullable(head).map(ObjectId::name));
            }
          }
          ObjectId tree;
          try {
            tree = new TreeEditor(reader, ins).apply(headTree, edits);
          } catch (TreeEditor.PathCollision e) {
            throw new InvalidRepoPathException(List.of(e.getMessage()));
          }
          if (headTree != null && tree.equals(headTree)) {
            return new CommitResult(head.name(), Optional.of(head.name()), false, attempt);
          }
          CommitBuilder cb = new CommitBuilder();
          cb.setTreeId(tree);
          if (head != null) {
            cb.setParentId(head);
          }
          PersonIdent who = ident(author);
          cb.setAuthor(who);
          cb.setCommitter(who);
          cb.setMessage(message);
          commit = ins.insert(cb);
          ins.flush();
        }
        beforePublish.run();
        if (moveRef(head, commit, author, message)) {
          afterWrite();
          return new CommitResult(commit.name(), Optional.ofNullable(head).map(ObjectId::name), true, attempt);
        }
        LOG.debug("lost the race for {} on attempt {}; retrying on the new head", refName, attempt);
        if (origin != null) {
          origin.backoff(attempt);
        }
      }
      throw new ConflictException("gave up after " + MAX_ATTEMPTS + " attempts: branch " + branch + " keeps moving",
          List.copyOf(edits.keySet()), Optional.ofNullable(base).map(ObjectId::name), head());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Compare-and-swap of the branch from {@code head} to {@code commit}; false when another writer got there first. */
  private boolean moveRef(ObjectId head, ObjectId commit, Author author, String message) throws IOException {
    if (remote) {
      return pushToOrigin(head, commit);
    }
    RefUpdate u = repo.updateRef(refName);
    u.setExpectedOldObjectId(head == null ? ObjectId.zeroId() : head);
    u.setNewObjectId(commit);
    u.setRefLogIdent(ident(author));
    u.setRefLogMessage("gavel: " + message.lines().findFirst().orElse(""), false);
    RefUpdate.Result r = u.update();
    return switch (r) {
      case NEW, FAST_FORWARD, FORCED -> true;
      case LOCK_FAILURE, REJECTED -> false;
      default -> throw new IOException("updating " + refName + " failed: " + r);
    };
  }

  private boolean pushToOrigin(ObjectId head, ObjectId commit) throws IOException {
    if (origin.push(refName, head, commit) == RemoteBranch.Push.DONE) {
      return true;
    }
    fetch(); // the new head to rebase on
    return false;
  }

  private void afterWrite() {
    if (packEvery > 0 && writtenSincePack.incrementAndGet() >= packEvery) {
      writtenSincePack.set(0);
      if (packing.compareAndSet(false, true)) {
        submit(packer, () -> {
          try {
            packNow();
          } catch (RuntimeException e) {
            LOG.warn("background pack failed: {}", e.toString());
          } finally {
            packing.set(false);
          }
        });
      }
    }
    if (!watches.isEmpty()) {
      submit(poller, () -> {
        try {
          notifyWatches();
        } catch (RuntimeException e) {
          LOG.warn("telling watchers of a new head failed: {}", e.toString());
        }
      });
    }
  }

  private static void submit(ExecutorService executor, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // closing: nothing left to tell
    }
  }

  private List<ScopeVersion> scopeVersions(HistoryIndex idx, String scope) {
    return idx.scopeVersions(scope, RepoPaths.scopeDirectory(scope));
  }

  private ScopeVersion pick(List<ScopeVersion> ascending, String scope, int number) {
    if (number < 1 || number > ascending.size()) {
      String label = scope.isEmpty() ? "the global scope" : "scope '" + scope + "'";
      throw new UnknownRevisionException(ascending.isEmpty()
          ? label + " has no versions on branch " + branch
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
    return new CommitPage(out, total, more ? Optional.of(out.get(out.size() - 1).id()) : Optional.empty());
  }

  /** The files directly in {@code dir} (not in its subdirectories), by repo-relative path. */
  private static Map<String, TreeEditor.Edit> directFiles(ObjectReader reader, RevTree tree, String dir)
      throws IOException {
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
  private static TreeEditor.Edit entryAt(ObjectReader reader, RevTree tree, String path) throws IOException {
    if (tree == null) {
      return null;
    }
    try (TreeWalk tw = TreeWalk.forPath(reader, path, tree)) {
      return tw == null ? null : new TreeEditor.Edit(tw.getObjectId(0), tw.getFileMode(0));
    }
  }

  private static boolean isFile(FileMode mode) {
    return FileMode.REGULAR_FILE.equals(mode) || FileMode.EXECUTABLE_FILE.equals(mode);
  }

  private static PersonIdent ident(Author a) {
    return new PersonIdent(a.name(), a.email());
  }

  private static String requireMessage(String message) {
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("a commit message is required");
    }
    if (message.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a commit message may not contain NUL");
    }
    return message.stripTrailing() + "\n";
  }

  private static void checkBranch(String branch) {
    if (branch == null || branch.isBlank() || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
      throw new IllegalArgumentException("'" + branch + "' is not a valid branch name");
    }
  }

  private static boolean sameUrl(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    try {
      return new URIish(a).equals(new URIish(b));
    } catch (java.net.URISyntaxException e) {
      return a.equals(b);
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
