package dev.gavel.api.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The policies-repo-template, packaged into the jar under {@code gavel-template/}: the files
 * {@code gavel init} and the demo repository of {@code gavel serve} start from.
 */
public final class RepositoryTemplate {
    private static final String ROOT = "gavel-template";

    private RepositoryTemplate() {}

    /** Every file of the template, keyed by its repository-relative path with '/' separators. */
    public static Map<String, byte[]> files() {
        URL marker = RepositoryTemplate.class.getResource("/" + ROOT + "/gavel.yaml");
        if (marker == null) {
            throw new IllegalStateException("the jar holds no policies template (" + ROOT + "/gavel.yaml)");
        }
        try {
            URI uri = marker.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = openJar(uri)) {
                    return read(jar.getPath("/" + ROOT));
                }
            }
            return read(Path.of(uri).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FileSystem openJar(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (java.nio.file.FileSystemAlreadyExistsException e) {
            // Opened elsewhere in this JVM: a fresh one on the same jar file is independent.
            String jarPath = uri.getSchemeSpecificPart()
                    .substring(0, uri.getSchemeSpecificPart().indexOf("!/"));
            return FileSystems.newFileSystem(Path.of(URI.create(jarPath)), (ClassLoader) null);
        }
    }

    private static Map<String, byte[]> read(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                files.put(rel, Files.readAllBytes(p));
            }
        }
        return files;
    }
}
