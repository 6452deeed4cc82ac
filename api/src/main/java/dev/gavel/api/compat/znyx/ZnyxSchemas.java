package dev.gavel.api.compat.znyx;

import static dev.gavel.api.compat.FaceSchemas.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON Schemas (OpenAPI 3.0) of the znyx face's bodies. */
final class ZnyxSchemas {
    private ZnyxSchemas() {}

    static final ObjectNode ERROR = parse("""
      {'type': 'object', 'required': ['detail'], 'properties': {'detail': {'oneOf': [
        {'type': 'string'},
        {'type': 'array', 'items': {'type': 'object', 'required': ['loc', 'msg', 'type'], 'properties': {
          'loc': {'type': 'array', 'items': {'oneOf': [{'type': 'string'}, {'type': 'integer'}]}},
          'msg': {'type': 'string'}, 'type': {'type': 'string'}}}}]}}}""");

    static final String DETECTOR_TEXT = """
      {'type': 'object', 'additionalProperties': false, 'properties': {
        'enabled': {'type': 'boolean'},
        'action': {'type': 'string', 'enum': ['off', 'audit', 'warn', 'block']},
        'type': {'type': 'string', 'enum': ['location', 'flavor', 'maxTokens', 'heartbeat', 'sla', 'document', 'custom']},
        'resource_types': {'type': 'array', 'items': {'type': 'string'}},
        'locked': {'type': 'boolean'},
        'settings': {'type': 'object'},
        'rules': {'type': 'array', 'items': {'type': 'object'}},
        'circuit_breaker': {'type': 'object'},
        'display_name': {'type': 'string'}, 'description': {'type': 'string'}, 'owner': {'type': 'string'},
        'category': {'type': 'string'}, 'labels': {'type': 'object', 'additionalProperties': {'type': 'string'}},
        'review_every': {'type': 'string'}, 'last_reviewed': {'type': 'string'}}}""";

    /** A merge patch of a detector: any field may be null (removed). */
    static final ObjectNode DETECTOR = parse("""
      {'type': 'object', 'additionalProperties': true}""");

    static final ObjectNode PUT_BODY = parse("""
      {'type': 'object', 'required': ['detectors'], 'additionalProperties': false, 'properties': {
        'detectors': {'type': 'object', 'additionalProperties': %s}}}""".formatted(DETECTOR_TEXT));

    static final ObjectNode SCOPE_POLICY = parse("""
      {'type': 'object',
       'required': ['tenant_id', 'app_id', 'agent_id', 'env', 'version_number', 'active_version', 'is_active',
                    'resolved', 'commit', 'detectors'],
       'properties': {
         'tenant_id': {'type': 'string'}, 'app_id': {'type': 'string'}, 'agent_id': {'type': 'string'},
         'env': {'type': 'string'},
         'version_number': {'type': 'integer'}, 'active_version': {'type': 'integer'},
         'is_active': {'type': 'boolean'}, 'resolved': {'type': 'boolean'},
         'rolled_back_to': {'type': 'integer'},
         'commit': {'type': 'string'},
         'created_at': {'type': 'string', 'format': 'date-time'}, 'created_by': {'type': 'string'},
         'detectors': {'type': 'object', 'additionalProperties': %s},
         'sources': {'type': 'object', 'additionalProperties': {'type': 'array', 'items': {'type': 'string'}}}}}""".formatted(DETECTOR_TEXT));

    static final ObjectNode HISTORY = parse("""
      {'type': 'object', 'required': ['tenant_id', 'app_id', 'agent_id', 'env', 'active_version', 'versions'],
       'properties': {
         'tenant_id': {'type': 'string'}, 'app_id': {'type': 'string'}, 'agent_id': {'type': 'string'},
         'env': {'type': 'string'}, 'active_version': {'type': 'integer'},
         'versions': {'type': 'array', 'items': {'type': 'object',
           'required': ['version_number', 'commit', 'created_at', 'created_by', 'message', 'is_active',
                        'detectors_changed'],
           'properties': {
             'version_number': {'type': 'integer'}, 'commit': {'type': 'string'},
             'created_at': {'type': 'string', 'format': 'date-time'}, 'created_by': {'type': 'string'},
             'message': {'type': 'string'}, 'is_active': {'type': 'boolean'},
             'detectors_changed': {'type': 'array', 'items': {'type': 'string'}}}}}}}""");
}
