package dev.gavel.api.compat.blaxel;

import static dev.gavel.api.compat.FaceSchemas.parse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.FaceCaller;
import dev.gavel.api.http.Json;

/**
 * The seed's schemas (controlplane.yml, ListPolicies), as OpenAPI 3.0 components of the face's document.
 * {@code Metadata} is the seed's {@code allOf} of TimeFields, OwnerFields and its own properties, written out
 * as one object; {@code limit} keeps {@code minimum: 1} but not {@code maximum: 200}, because a larger value is
 * clamped (the seed's description), not refused.
 */
final class BlaxelSchemas {
    private BlaxelSchemas() {}

    static final String DESCRIPTION = "Returns governance policies in the workspace. Policies control deployment"
            + " locations, hardware flavors, and token limits for agents, functions, and models. Starting with API version"
            + " 2026-04-28 (header Blaxel-Version) the response is wrapped in {data, meta} and supports cursor pagination"
            + " via the cursor and limit query parameters; older versions keep returning a bare array with all policies.";

    static final ObjectNode ERROR = parse("""
      {'type': 'object', 'required': ['error'], 'properties': {'error': {'type': 'object',
        'required': ['code', 'message', 'status'], 'properties': {
          'code': {'type': 'string'}, 'message': {'type': 'string'}, 'status': {'type': 'integer'},
          'retryable': {'type': 'boolean'}, 'origin': {'type': 'string'}, 'timestamp': {'type': 'string'},
          'details': {'type': 'array', 'items': {'type': 'object', 'properties': {
            'field': {'type': 'string'}, 'message': {'type': 'string'}}}}}}}}""");

    static final ObjectNode LIST_RESPONSE = parse("""
      {'oneOf': [{'$ref': '#/components/schemas/PolicyList'},
                 {'type': 'array', 'items': {'$ref': '#/components/schemas/Policy'}}]}""");

    static final ObjectNode COMPONENTS = parse("""
      {
       'PolicyList': {'type': 'object', 'properties': {
          'data': {'type': 'array', 'items': {'$ref': '#/components/schemas/Policy'}},
          'meta': {'$ref': '#/components/schemas/PaginationMeta'}}},
       'Policy': {'type': 'object', 'required': ['metadata', 'spec'], 'properties': {
          'metadata': {'$ref': '#/components/schemas/Metadata'},
          'spec': {'$ref': '#/components/schemas/PolicySpec'},
          'usage': {'$ref': '#/components/schemas/PolicyUsageCounts'}}},
       'PaginationMeta': {'type': 'object', 'properties': {
          'hasMore': {'type': 'boolean'}, 'nextCursor': {'type': 'string'}, 'total': {'type': 'integer'}}},
       'Metadata': {'type': 'object', 'required': ['name'], 'properties': {
          'createdAt': {'type': 'string'}, 'updatedAt': {'type': 'string'},
          'createdBy': {'type': 'string'}, 'updatedBy': {'type': 'string'},
          'displayName': {'type': 'string'}, 'labels': {'$ref': '#/components/schemas/MetadataLabels'},
          'name': {'type': 'string'}, 'plan': {'type': 'string'}, 'url': {'type': 'string'},
          'workspace': {'type': 'string'}}},
       'PolicySpec': {'type': 'object', 'properties': {
          'flavors': {'$ref': '#/components/schemas/Flavors'},
          'locations': {'$ref': '#/components/schemas/PolicyLocations'},
          'maxTokens': {'$ref': '#/components/schemas/PolicyMaxTokens'},
          'resourceTypes': {'$ref': '#/components/schemas/PolicyResourceTypes'},
          'sandbox': {'type': 'boolean'},
          'type': {'type': 'string', 'enum': ['location', 'flavor', 'maxToken']}}},
       'PolicyUsageCounts': {'type': 'object', 'properties': {
          'agents': {'type': 'integer'}, 'functions': {'type': 'integer'}, 'jobs': {'type': 'integer'},
          'models': {'type': 'integer'}, 'sandboxes': {'type': 'integer'}}},
       'MetadataLabels': {'type': 'object', 'additionalProperties': {'type': 'string'}},
       'Flavors': {'type': 'array', 'items': {'$ref': '#/components/schemas/Flavor'}},
       'Flavor': {'type': 'object', 'properties': {
          'name': {'type': 'string'}, 'type': {'type': 'string', 'enum': ['cpu', 'gpu']}}},
       'PolicyLocations': {'type': 'array', 'items': {'$ref': '#/components/schemas/PolicyLocation'}},
       'PolicyLocation': {'type': 'object', 'properties': {
          'name': {'type': 'string'}, 'type': {'type': 'string', 'enum': ['location', 'country', 'continent']}}},
       'PolicyMaxTokens': {'type': 'object', 'properties': {
          'granularity': {'type': 'string'}, 'input': {'type': 'integer'}, 'output': {'type': 'integer'},
          'ratioInputOverOutput': {'type': 'integer'}, 'step': {'type': 'integer'}, 'total': {'type': 'integer'}}},
       'PolicyResourceTypes': {'type': 'array', 'items': {'$ref': '#/components/schemas/PolicyResourceType'}},
       'PolicyResourceType': {'type': 'string', 'enum': ['model', 'function', 'agent', 'sandbox']}
      }""");

    static ArrayNode parameters() {
        ArrayNode params = Json.MAPPER.createArrayNode();
        params.add(parse("""
        {'name': 'cursor', 'in': 'query', 'required': false, 'schema': {'type': 'string'},
         'description': 'Opaque cursor returned by a previous response meta.nextCursor. Only valid for the same query (workspace + filters + sort + q); refused when bound to another query or older than 24h.'}"""));
        params.add(parse("""
        {'name': 'limit', 'in': 'query', 'required': false,
         'schema': {'type': 'integer', 'default': 50, 'minimum': 1},
         'description': 'Maximum number of items per page. Defaults to 50, clamped to 200.'}"""));
        params.add(parse("""
        {'name': 'sort', 'in': 'query', 'required': false,
         'schema': {'type': 'string', 'enum': ['createdAt:desc', 'createdAt:asc', 'name:asc', 'name:desc']},
         'description': 'Sort spec <key>:<direction>; createdAt:desc by default. Only honoured starting on Blaxel-Version 2026-04-28.'}"""));
        params.add(parse("""
        {'name': 'q', 'in': 'query', 'required': false, 'schema': {'type': 'string', 'maxLength': 200},
         'description': 'Substring search across metadata.name, metadata.displayName and labels (keys and values); trimmed and lowercased; shorter than 2 characters is ignored. Only honoured starting on Blaxel-Version 2026-04-28.'}"""));
        params.add(parse("""
        {'name': 'Blaxel-Version', 'in': 'header', 'required': false, 'schema': {'type': 'string', 'format': 'date'},
         'description': 'API version (YYYY-MM-DD). From 2026-04-28 the answer is {data, meta}; before, or without it, a bare array of every policy.'}"""));
        params.add(parse("""
        {'name': '%s', 'in': 'header', 'required': false, 'schema': {'type': 'string'},
         'description': 'The workspace, for a token not limited to exactly one.'}""".formatted(BlaxelFace.WORKSPACE_HEADER)));
        params.add(parse("""
        {'name': '%s', 'in': 'header', 'required': false, 'schema': {'type': 'string'}}""".formatted(FaceCaller.GAVEL_TENANT_HEADER)));
        return params;
    }
}
