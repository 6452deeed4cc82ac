package dev.gavel.store.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.AddCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ways to get a {@link GitPolicyRepository}: open one on disk, clone (or re-fetch) a remote, create one. */
final class RepositoryOpener {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryOpener.class);
    private static final String ORIGIN = RemoteBranch.ORIGIN;

    private RepositoryOpener() {}

    /** See {@link GitPolicyRepository#open(Path, String, int)}. */
    static GitPolicyRepository open(Path dir, String branch, int packEveryCommits) throws IOException {
        checkBranch(branch);
        File gitDir = RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED);
        if (gitDir == null) {
            throw new IOException(dir + " is not a Git repository");
        }
        Repository r =
                new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
        return new GitPolicyRepository(r, branch, false, packEveryCommits);
    }

    /** See {@link GitPolicyRepository#cloneRemote(String, Path, String)}. */
    static GitPolicyRepository cloneRemote(String url, Path dataDir, String branch) throws IOException {
        checkBranch(branch);
        if (RepositoryCache.FileKey.isGitRepository(dataDir.toFile(), FS.DETECTED)) {
            return reopenClone(url, dataDir, branch);
        }
        try (Git git = Git.cloneRepository()
                .setURI(url)
                .setDirectory(dataDir.toFile())
                .setBare(true)
                .setRemote(ORIGIN)
                .setBranchesToClone(List.of(Constants.R_HEADS + branch))
                .setBranch(Constants.R_HEADS + branch)
                .call()) {
            git.getRepository()
                    .getConfig()
                    .setString(
                            "remote",
                            ORIGIN,
                            "fetch",
                            "+" + Constants.R_HEADS + branch + ":" + Constants.R_HEADS + branch);
            git.getRepository().getConfig().save();
        } catch (GitAPIException e) {
            throw new IOException("cloning " + url + " failed: " + e.getMessage(), e);
        }
        Repository r = new FileRepositoryBuilder()
                .setGitDir(dataDir.toFile())
                .setMustExist(true)
                .build();
        GitPolicyRepository store = new GitPolicyRepository(r, branch, true, GitPolicyRepository.REMOTE_PACK_EVERY);
        try {
            store.watcher().fetch(); // also the shared refs, and the remote's status starts with a successful fetch
        } catch (RemoteUnavailableException e) {
            LOG.warn("{}", e.getMessage());
        }
        if (store.head().isEmpty()) {
            LOG.warn("{} has no branch {} yet; serving an empty history", url, branch);
        }
        return store;
    }

    /** A clone made earlier in {@code dataDir}: refused if it follows another URL, else brought up to date. */
    private static GitPolicyRepository reopenClone(String url, Path dataDir, String branch) throws IOException {
        Repository r = new FileRepositoryBuilder()
                .setGitDir(dataDir.toFile())
                .setMustExist(true)
                .build();
        String origin = r.getConfig().getString("remote", ORIGIN, "url");
        if (!sameUrl(url, origin)) {
            r.close();
            throw new IOException(dataDir + " holds a clone of " + origin + ", not of " + url);
        }
        GitPolicyRepository store = new GitPolicyRepository(r, branch, true, GitPolicyRepository.REMOTE_PACK_EVERY);
        try {
            store.watcher().fetch();
        } catch (RemoteUnavailableException e) {
            // A replica restarting while its remote is down serves what its clone holds; status reports the failure.
            LOG.warn("{}; serving the clone's last fetched head", e.getMessage());
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** See {@link GitPolicyRepository#initFromFiles(Path, Map, boolean, String, Author, String)}. */
    static GitPolicyRepository initFromFiles(
            Path dir, Map<String, byte[]> files, boolean bare, String branch, Author author, String message)
            throws IOException {
        checkBranch(branch);
        RepoPaths.requireSafePaths(files.keySet());
        String msg = CommitPublisher.requireMessage(message);
        if (RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED) != null) {
            throw new IOException(dir + " is already a Git repository");
        }
        Files.createDirectories(dir);
        if (bare) {
            try (Git ignored = Git.init()
                    .setBare(true)
                    .setDirectory(dir.toFile())
                    .setInitialBranch(branch)
                    .call()) {
                // created
            } catch (GitAPIException e) {
                throw new IOException("creating a repository in " + dir + " failed: " + e.getMessage(), e);
            }
            GitPolicyRepository store = GitPolicyRepository.open(dir, branch);
            try {
                store.publisher().createBranch(files, author, msg);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        }
        // A work tree gets the files written and committed through the porcelain, so `git status` is clean after.
        try (Git git =
                Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call()) {
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
            PersonIdent who = CommitPublisher.ident(author);
            git.commit()
                    .setAuthor(who)
                    .setCommitter(who)
                    .setMessage(msg)
                    .setAllowEmpty(true)
                    .setSign(false)
                    .call();
        } catch (GitAPIException e) {
            throw new IOException("creating a repository in " + dir + " failed: " + e.getMessage(), e);
        }
        return GitPolicyRepository.open(dir, branch);
    }

    private static void checkBranch(String branch) {
        if (branch == null || branch.isBlank() || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            throw new IllegalArgumentException("'" + branch + "' is not a valid branch name");
        }
    }

    /** Compared as parsed Git URLs where both parse, else as strings. */
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
}
