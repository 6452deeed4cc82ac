package dev.gavel.store.git;

/** A file of a commit is over {@link GitPolicyRepository#MAX_FILE_BYTES}: it is reported, never loaded. */
public final class FileTooLargeException extends GitStoreException {
    private final String path;
    private final long size;

    FileTooLargeException(String path, long size, String message) {
        super(path + ": " + message);
        this.path = path;
        this.size = size;
    }

    public String path() {
        return path;
    }

    public long size() {
        return size;
    }
}
