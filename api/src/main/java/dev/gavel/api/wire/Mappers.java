package dev.gavel.api.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The module's two configured mappers: JSON (bodies, the key file, reports) and YAML (policy files written
 * from JSON bodies). Variants are readers and writers of these ({@code writerWithDefaultPrettyPrinter()}),
 * never another mapper.
 */
public final class Mappers {
    /** ISO-8601 times; {@code Optional.empty()} as null. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    public static final YAMLMapper YAML = new YAMLMapper();

    private Mappers() {}
}
