package dev.gavel.api.compat.workspace;

import static dev.gavel.api.compat.FaceSchemas.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON Schemas (OpenAPI 3.0) of the workspace face's bodies. */
final class WorkspaceSchemas {
    private WorkspaceSchemas() {}

    static final String FIELD_ERRORS = """
      {'type': 'array', 'items': {'type': 'object', 'required': ['field', 'message'],
        'properties': {'field': {'type': 'string'}, 'message': {'type': 'string'}}}}""";

    static final ObjectNode ERROR = parse("""
      {'type': 'object', 'required': ['error'], 'properties': {'error': {'type': 'object',
        'required': ['code', 'message', 'details'], 'properties': {'code': {'type': 'string'},
        'message': {'type': 'string'}, 'details': %s}}}}""".formatted(FIELD_ERRORS));

    static final String CONDITION = """
      {'type': 'object', 'required': ['provider', 'check'], 'properties': {'provider': {'type': 'string'},
        'check': {'type': 'string'}, 'params': {'type': 'object'}}}""";

    static final String CONDITIONS = """
      {'oneOf': [%s, {'type': 'array', 'minItems': 1, 'maxItems': 20, 'items': %s}]}""".formatted(CONDITION, CONDITION);

    static final String READINESS = """
      {'type': 'object', 'nullable': true, 'properties': {'minEvaluations': {'type': 'integer', 'minimum': 1},
        'minDaysInWarn': {'type': 'integer', 'minimum': 0}, 'maxWouldDenyRate': {'type': 'number', 'minimum': 0,
        'maximum': 1}}}""";

    /** Readiness to promote: the rule (stated or default), the figures behind it, and what is unmet. */
    static final String PROMOTION = """
      {'type': 'object', 'required': ['ready', 'rule', 'figures', 'unmet'], 'properties': {
        'ready': {'type': 'boolean'},
        'rule': {'type': 'object', 'required': ['minEvaluations', 'minDaysInWarn', 'maxWouldDenyRate', 'windowDays',
          'stated'], 'properties': {'minEvaluations': {'type': 'integer'}, 'minDaysInWarn': {'type': 'integer'},
          'maxWouldDenyRate': {'type': 'number'}, 'windowDays': {'type': 'integer'}, 'stated': {'type': 'boolean'}}},
        'figures': {'type': 'object', 'required': ['evaluations7d', 'wouldDeny7d', 'wouldDenyRate7d',
          'daysAtEnforcement'], 'properties': {'evaluations7d': {'type': 'integer'}, 'wouldDeny7d': {'type': 'integer'},
          'wouldDenyRate7d': {'type': 'number'}, 'enforcementSince': {'type': 'string', 'format': 'date-time',
          'nullable': true}, 'daysAtEnforcement': {'type': 'integer'}}},
        'unmet': {'type': 'array', 'items': {'type': 'string'}}}}""";

    static final String POLICY_TEXT = """
      {'type': 'object',
       'required': ['id', 'name', 'scope', 'type', 'enforcement', 'status', 'conditions', 'circuitBreaker',
                    'createdAt', 'updatedAt', 'version'],
       'properties': {
         'id': {'type': 'string', 'format': 'uuid'},
         'name': {'type': 'string'},
         'displayName': {'type': 'string', 'nullable': true},
         'description': {'type': 'string', 'nullable': true},
         'scope': {'type': 'string'},
         'type': {'type': 'string'},
         'enforcement': {'type': 'string', 'enum': ['off', 'audit', 'warn', 'block']},
         'status': {'type': 'string', 'enum': ['active', 'inactive']},
         'message': {'type': 'string', 'nullable': true},
         'conditions': {'type': 'array', 'items': %s},
         'circuitBreaker': {'type': 'object', 'required': ['state'], 'properties': {
           'state': {'type': 'string', 'enum': ['closed', 'open']},
           'openedAt': {'type': 'string', 'nullable': true}, 'reason': {'type': 'string', 'nullable': true}}},
         'createdAt': {'type': 'string', 'format': 'date-time'},
         'createdBy': {'type': 'string', 'nullable': true},
         'updatedAt': {'type': 'string', 'format': 'date-time'},
         'updatedBy': {'type': 'string', 'nullable': true},
         'version': {'type': 'string'},
         'promotion': %s}}""".formatted(CONDITION, PROMOTION);

    static final ObjectNode POLICY = parse(POLICY_TEXT);

    private static final String INPUT_PROPERTIES = """
      'name': {'type': 'string'}, 'displayName': {'type': 'string'}, 'description': {'type': 'string'},
      'scope': {'type': 'string'}, 'message': {'type': 'string'},
      'enforcement': {'type': 'string', 'enum': ['off', 'audit', 'warn', 'block']},
      'status': {'type': 'string', 'enum': ['active', 'inactive']},
      'conditions': %s,
      'promotion': %s""".formatted(CONDITIONS, READINESS);

    static final ObjectNode POLICY_INPUT = parse("""
      {'type': 'object', 'required': ['name', 'conditions'], 'properties': {%s}}""".formatted(INPUT_PROPERTIES));

    static final ObjectNode POLICY_UPDATE = parse("""
      {'type': 'object', 'properties': {%s}}""".formatted(INPUT_PROPERTIES));

    static final ObjectNode POLICY_LIST = parse("""
      {'type': 'object', 'required': ['policies', 'total'], 'properties': {
        'policies': {'type': 'array', 'items': %s}, 'total': {'type': 'integer'}}}""".formatted(POLICY_TEXT));

    static final ObjectNode VALIDATE_REQUEST = parse("""
      {'type': 'object', 'required': ['conditions'], 'properties': {'conditions': %s}}""".formatted(CONDITIONS));

    static final ObjectNode VALIDATION = parse("""
      {'type': 'object', 'required': ['valid', 'conditions', 'errors'], 'properties': {
        'valid': {'type': 'boolean'},
        'conditions': {'type': 'array', 'items': {'type': 'object',
          'required': ['provider', 'check', 'params', 'condition', 'facts'], 'properties': {
          'provider': {'type': 'string'}, 'check': {'type': 'string'}, 'params': {'type': 'object'},
          'condition': {'type': 'string'}, 'facts': {'type': 'array', 'items': {'type': 'string'}}}}},
        'errors': %s}}""".formatted(FIELD_ERRORS));

    static final ObjectNode TEMPLATES = parse("""
      {'type': 'object', 'required': ['templates'], 'properties': {'templates': {'type': 'array', 'items': {
        'type': 'object', 'required': ['id', 'name', 'description', 'provider', 'check', 'paramsSchema', 'facts',
          'policy'],
        'properties': {'id': {'type': 'string'}, 'name': {'type': 'string'}, 'description': {'type': 'string'},
          'provider': {'type': 'string'}, 'check': {'type': 'string'}, 'paramsSchema': {'type': 'object'},
          'facts': {'type': 'array', 'items': {'type': 'string'}}, 'policy': {'type': 'object'}}}}}}""");

    static final ObjectNode ATTENTION = parse("""
      {'type': 'object', 'required': ['count', 'reasons'], 'properties': {'count': {'type': 'integer'},
        'reasons': {'type': 'object', 'required': ['reviewOverdue', 'circuitBreakerOpen', 'readyToPromote'],
          'properties': {'reviewOverdue': {'type': 'integer'}, 'circuitBreakerOpen': {'type': 'integer'},
          'readyToPromote': {'type': 'integer'}}}}}""");

    static final ObjectNode EVALUATIONS = parse("""
      {'type': 'object', 'required': ['evaluations', 'total', 'page', 'pageSize'], 'properties': {
        'evaluations': {'type': 'array', 'items': {'type': 'object',
          'required': ['id', 'result', 'timestamp', 'context'], 'properties': {
          'id': {'type': 'string'}, 'result': {'type': 'string', 'enum': ['pass', 'fail', 'warn']},
          'timestamp': {'type': 'string', 'format': 'date-time'}, 'context': {'type': 'object'},
          'decision': {'type': 'string'}, 'rule': {'type': 'string', 'nullable': true},
          'message': {'type': 'string', 'nullable': true}}}},
        'total': {'type': 'integer'}, 'page': {'type': 'integer'}, 'pageSize': {'type': 'integer'}}}""");

    static final ObjectNode BULK = parse("""
      {'type': 'object', 'required': ['changed'], 'properties': {'changed': {'type': 'integer'},
        'commit': {'type': 'string', 'nullable': true}}}""");
}
