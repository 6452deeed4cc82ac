package dev.gavel.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gavel.engine.model.ScopePath;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RequestReader.Result read(String json) throws Exception {
        JsonNode body = JSON.readTree(json);
        return RequestReader.read(ScopePath.parse("acme"), body, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Model", "MODEL", "modle", "model ", ""})
    @DisplayName("a resource type outside the vocabulary is refused, naming the field and the allowed values")
    void unknownResourceTypeIsRefused(String type) throws Exception {
        RequestReader.Result r = read("{\"resource\":{\"type\":" + JSON.writeValueAsString(type) + "}}");
        assertThat(r).isInstanceOf(RequestReader.Invalid.class);
        RequestReader.FieldError e = ((RequestReader.Invalid) r).errors().get(0);
        assertThat(e.field()).isEqualTo("resource.type");
        assertThat(e.message()).contains("model, function, agent, sandbox, job");
    }

    @Test
    @DisplayName("a flavor type outside cpu|gpu is refused")
    void unknownFlavorTypeIsRefused() throws Exception {
        RequestReader.Result r = read("{\"flavor\":{\"type\":\"GPU\"}}");
        assertThat(r).isInstanceOf(RequestReader.Invalid.class);
        assertThat(((RequestReader.Invalid) r).errors())
                .extracting(RequestReader.FieldError::field)
                .containsExactly("flavor.type");
    }

    @Test
    @DisplayName("known types are read")
    void knownTypesAreRead() throws Exception {
        assertThat(read("{\"resource\":{\"type\":\"model\"},\"flavor\":{\"type\":\"gpu\"}}"))
                .isInstanceOf(RequestReader.Read.class);
    }

    @Test
    @DisplayName("a total below input + output is refused; equal or above is read; alone it is read")
    void inconsistentTotalIsRefused() throws Exception {
        RequestReader.Result r = read("{\"tokens\":{\"input\":90000,\"output\":15000,\"total\":1}}");
        assertThat(r).isInstanceOf(RequestReader.Invalid.class);
        assertThat(((RequestReader.Invalid) r).errors().get(0).field()).isEqualTo("tokens.total");
        assertThat(read("{\"tokens\":{\"input\":90000,\"output\":15000,\"total\":105000}}"))
                .isInstanceOf(RequestReader.Read.class);
        assertThat(read("{\"tokens\":{\"input\":90000,\"output\":15000,\"total\":200000}}"))
                .isInstanceOf(RequestReader.Read.class);
        assertThat(read("{\"tokens\":{\"total\":1}}")).isInstanceOf(RequestReader.Read.class);
        assertThat(read("{\"tokens\":{\"input\":9223372036854775807,\"output\":9223372036854775807,\"total\":5}}"))
                .isInstanceOf(RequestReader.Invalid.class);
    }
}
