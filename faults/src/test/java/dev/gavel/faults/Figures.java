package dev.gavel.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a suite's measured figures as JSON under target/faults/ (the closing notes quote them). */
final class Figures {
    private Figures() {}

    static void write(String name, Object figures) throws IOException {
        Path dir = Path.of(System.getProperty("gavel.faults.results", "target/faults"));
        Files.createDirectories(dir);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve(name + ".json").toFile(), figures);
    }
}
