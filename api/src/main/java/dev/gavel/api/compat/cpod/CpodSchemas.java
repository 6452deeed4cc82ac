package dev.gavel.api.compat.cpod;

import static dev.gavel.api.compat.FaceSchemas.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON Schemas (OpenAPI 3.0) of the policy documents face's bodies, in the seed's field names. */
final class CpodSchemas {
    private CpodSchemas() {}

    static final String ID = "{'type': 'string', 'pattern': '^per_[0-9A-HJKMNP-TV-Z]{26}$', "
            + "'description': 'Server-assigned ULID with type prefix (per_...)'}";

    static final String CATEGORY =
            "{'type': 'string', 'enum': ['security', 'privacy', 'hr', 'compliance', 'finance', 'operations', 'other']}";

    static final String SOURCE_TYPE = "{'type': 'string', 'enum': ['frontend', 'backend', 'server', 'system', 'api']}";

    static final ObjectNode ERROR = parse("""
      {'type': 'object', 'required': ['error'], 'properties': {'error': {'type': 'object',
        'required': ['status', 'code', 'message', 'details'], 'properties': {
          'status': {'type': 'integer'}, 'code': {'type': 'string'}, 'message': {'type': 'string'},
          'details': {'type': 'array', 'items': {'type': 'object', 'required': ['field', 'message'],
            'properties': {'field': {'type': 'string'}, 'message': {'type': 'string'}}}}}}}}""");

    private static final String RECORD_TEXT = """
      {'type': 'object',
       'required': ['id', 'tenant_id', 'created_at', 'updated_at', 'source', 'source_type', 'is_deleted',
                    'schema_version', 'name', 'status', 'tags'],
       'properties': {
         'id': %s,
         'tenant_id': {'type': 'string'},
         'app_id': {'type': 'string', 'nullable': true},
         'created_at': {'type': 'string', 'format': 'date-time'},
         'updated_at': {'type': 'string', 'format': 'date-time'},
         'created_by': {'type': 'string', 'nullable': true},
         'updated_by': {'type': 'string', 'nullable': true},
         'source': {'type': 'string'},
         'source_type': %s,
         'is_deleted': {'type': 'boolean'},
         'deleted_at': {'type': 'string', 'format': 'date-time', 'nullable': true},
         'deleted_by': {'type': 'string', 'nullable': true},
         'schema_version': {'type': 'number'},
         'name': {'type': 'string'},
         'description': {'type': 'string', 'nullable': true},
         'applies_to': {'type': 'array', 'items': {'type': 'string'}, 'nullable': true},
         'priority': {'type': 'string', 'nullable': true},
         'first_response_minutes': {'type': 'number', 'nullable': true},
         'resolution_minutes': {'type': 'number', 'nullable': true},
         'business_hours_only': {'type': 'boolean', 'nullable': true},
         'status': {'type': 'string', 'enum': ['active', 'inactive']},
         'body': {'type': 'string', 'nullable': true},
         'version': {'type': 'string', 'nullable': true},
         'category': {'type': 'string', 'nullable': true, 'enum': ['security', 'privacy', 'hr', 'compliance',
                      'finance', 'operations', 'other', null]},
         'owner_id': {'type': 'string', 'nullable': true},
         'published_at': {'type': 'string', 'format': 'date-time', 'nullable': true},
         'next_review_at': {'type': 'string', 'format': 'date-time', 'nullable': true},
         'tags': {'type': 'array', 'items': {'type': 'string'}}}}""".formatted(ID, SOURCE_TYPE);

    static final ObjectNode RECORD = parse(RECORD_TEXT);

    /** Fields a client writes; null clears a field on update. The server stamps are accepted and ignored. */
    private static final String INPUT_PROPERTIES = """
      'name': {'type': 'string', 'maxLength': 63, 'nullable': true},
      'description': {'type': 'string', 'nullable': true},
      'applies_to': {'type': 'array', 'items': {'type': 'string'}, 'nullable': true},
      'priority': {'type': 'string', 'nullable': true},
      'first_response_minutes': {'type': 'integer', 'minimum': 1, 'nullable': true},
      'resolution_minutes': {'type': 'integer', 'minimum': 1, 'nullable': true},
      'business_hours_only': {'type': 'boolean', 'nullable': true},
      'status': {'type': 'string', 'enum': ['active', 'inactive'], 'nullable': true},
      'body': {'type': 'string', 'nullable': true},
      'version': {'type': 'string', 'nullable': true, 'description': 'A semantic version, e.g. 1.2.0'},
      'category': %s,
      'owner_id': {'type': 'string', 'nullable': true},
      'published_at': {'type': 'string', 'format': 'date-time', 'nullable': true},
      'next_review_at': {'type': 'string', 'format': 'date-time', 'nullable': true},
      'tags': {'type': 'array', 'items': {'type': 'string'}, 'nullable': true},
      'source': {'type': 'string', 'nullable': true},
      'source_type': %s,
      'id': {'type': 'string', 'description': 'ignored: server-assigned'},
      'tenant_id': {'type': 'string', 'description': 'ignored: stamped from the token'},
      'app_id': {'type': 'string', 'description': 'ignored: stamped from the token'},
      'created_at': {'type': 'string', 'description': 'ignored: server stamp'},
      'updated_at': {'type': 'string', 'description': 'ignored: server stamp'},
      'created_by': {'type': 'string', 'description': 'ignored: server stamp'},
      'updated_by': {'type': 'string', 'description': 'ignored: server stamp'},
      'deleted_at': {'type': 'string', 'description': 'ignored: server stamp'},
      'deleted_by': {'type': 'string', 'description': 'ignored: server stamp'},
      'schema_version': {'type': 'number', 'description': 'ignored: server stamp'}""".formatted(
                    CATEGORY.replace("}", ", 'nullable': true}"), SOURCE_TYPE.replace("}", ", 'nullable': true}"));

    static final ObjectNode CREATE = parse("{'type': 'object', 'properties': {" + INPUT_PROPERTIES + "}}");

    static final ObjectNode UPDATE = parse(
            "{'type': 'object', 'properties': {" + INPUT_PROPERTIES
                    + ", 'is_deleted': {'type': 'boolean', 'description': 'soft delete (true) or restore (false); owners and admins'}}}");

    static final ObjectNode COMPLETE = parse("""
      {'type': 'object', 'properties': {'next_review_at': {'type': 'string', 'format': 'date-time', 'nullable': true,
        'description': 'the next review date; when absent it follows from the review cadence'}}}""");

    static final ObjectNode PAGE = parse("""
      {'type': 'object', 'required': ['data', 'has_more', 'next_cursor', 'total'], 'properties': {
        'data': {'type': 'array', 'items': %s},
        'has_more': {'type': 'boolean'},
        'next_cursor': {'type': 'string', 'nullable': true},
        'total': {'type': 'integer'}}}""".formatted(RECORD_TEXT));
}
