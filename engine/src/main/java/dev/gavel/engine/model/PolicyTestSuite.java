package dev.gavel.engine.model;

import java.util.List;
import java.util.Optional;

/** A file in {@code tests/}: named decision tests ({@code kind: PolicyTest}). */
public record PolicyTestSuite(String name, Optional<String> description, List<PolicyTestCase> tests) {
    public static final String API_VERSION = "gavel/v1";
    public static final String KIND = "PolicyTest";

    public PolicyTestSuite {
        Names.requireValid("test suite name", name);
        description = description == null ? Optional.empty() : description;
        tests = List.copyOf(tests);
    }
}
