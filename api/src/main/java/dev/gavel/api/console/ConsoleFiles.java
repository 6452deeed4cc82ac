package dev.gavel.api.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The files of one classpath directory, read once into memory with their gzip form and entity tags. Not Javalin's
 * classpath static files: Jetty serves those by mounting the whole jar as a zip file system, which at start-up
 * allocated ~48 MB and kept an index of every entry of the 85 MB jar for files that total 80 KB. A request names a
 * file by the key of this map, never by a path that reaches the file system.
 */
record ConsoleFiles(Map<String, File> files) {
    /** One file: its bytes, its gzip form, its media type and a strong entity tag per representation. */
    record File(byte[] raw, byte[] gzip, String contentType, String etag, String gzipEtag) {}

    ConsoleFiles {
        files = Map.copyOf(files);
    }

    Optional<File> get(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /** Every file under {@code directory} (a classpath directory such as {@code /gavel-console}), by relative path. */
    static ConsoleFiles load(String directory) {
        URL url = ConsoleFiles.class.getResource(directory + "/");
        if (url == null) {
            throw new IllegalStateException("no " + directory + " on the classpath");
        }
        Map<String, File> files = new TreeMap<>();
        try {
            switch (url.getProtocol()) {
                case "file" -> {
                    Path root = Path.of(url.toURI());
                    try (Stream<Path> walk = Files.walk(root)) {
                        for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                            String name = root.relativize(p).toString().replace('\\', '/');
                            files.put(name, file(name, Files.readAllBytes(p)));
                        }
                    }
                }
                case "jar" -> {
                    JarURLConnection c = (JarURLConnection) url.openConnection();
                    c.setUseCaches(false); // our own handle, closed below (the class loader keeps its own)
                    String prefix = c.getEntryName();
                    try (JarFile jar = c.getJarFile()) {
                        Enumeration<JarEntry> entries = jar.entries();
                        while (entries.hasMoreElements()) {
                            JarEntry e = entries.nextElement();
                            if (!e.isDirectory() && e.getName().startsWith(prefix)) {
                                String name = e.getName().substring(prefix.length());
                                try (InputStream in = jar.getInputStream(e)) {
                                    files.put(name, file(name, in.readAllBytes()));
                                }
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException("cannot list " + url);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new ConsoleFiles(files);
    }

    private static File file(String name, byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        String tag = digest(raw);
        return new File(raw, out.toByteArray(), contentType(name), "\"" + tag + "\"", "\"" + tag + "-gzip\"");
    }

    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json" -> "application/json";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "txt" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    private static String digest(byte[] raw) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(raw);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
