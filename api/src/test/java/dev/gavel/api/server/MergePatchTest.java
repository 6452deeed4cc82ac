package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MergePatchTest {
    static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s.replace('\'', '"'));
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @DisplayName("the examples of RFC 7396 appendix A")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "{'a':'b'}|{'a':'c'}|{'a':'c'}",
                "{'a':'b'}|{'b':'c'}|{'a':'b','b':'c'}",
                "{'a':'b'}|{'a':null}|{}",
                "{'a':'b','b':'c'}|{'a':null}|{'b':'c'}",
                "{'a':['b']}|{'a':'c'}|{'a':'c'}",
                "{'a':'c'}|{'a':['b']}|{'a':['b']}",
                "{'a':{'b':'c'}}|{'a':{'b':'d','c':null}}|{'a':{'b':'d'}}",
                "{'a':[{'b':'c'}]}|{'a':[1]}|{'a':[1]}",
                "['a','b']|['c','d']|['c','d']",
                "{'a':'b'}|['c']|['c']",
                "{'a':'foo'}|null|null",
                "{'a':'foo'}|'bar'|'bar'",
                "{'e':null}|{'a':1}|{'e':null,'a':1}",
                "[1,2]|{'a':'b','c':null}|{'a':'b'}",
                "{}|{'a':{'bb':{'ccc':null}}}|{'a':{'bb':{}}}"
            })
    void rfcExamples(String target, String patch, String result) throws Exception {
        assertThat(MergePatch.apply(json(target), json(patch))).isEqualTo(json(result));
    }

    @Test
    @DisplayName("spec.rules as an object patches rules by name: change one, drop one, add one, keep order")
    void rulesByName() throws Exception {
        ObjectNode policy =
                (ObjectNode) json("{'spec':{'rules':[{'name':'r1','message':'a'},{'name':'r2','message':'b'},"
                        + "{'name':'r3','message':'c'}]}}");
        JsonNode out = MergePatch.applyToPolicy(
                policy, (ObjectNode) json("{'spec':{'rules':{'r1':{'message':'A'},'r2':null,'r4':{'message':'d'}}}}"));
        assertThat(out)
                .isEqualTo(json("{'spec':{'rules':[{'name':'r1','message':'A'},{'name':'r3','message':'c'},"
                        + "{'name':'r4','message':'d'}]}}"));
        assertThat(policy.at("/spec/rules").size()).isEqualTo(3);
    }
}
