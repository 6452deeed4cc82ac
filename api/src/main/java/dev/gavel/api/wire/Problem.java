package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** RFC 9457 problem details: every error of the API, as {@code application/problem+json}. */
@Doc("RFC 9457 problem details")
public record Problem(
        @Doc(example = "https://gavel.dev/problems/invalid-request")
        String type,

        String title,
        int status,
        String detail,
        @Doc("The request path") String instance,
        List<Error> errors) {

    /** Which input field is wrong and why, with the file position when it comes from a policy file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String field, String message, String file, Integer line, Integer column) {}
}
