package dev.gavel.api.compat.cedana;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.FaceSchemas;

/**
 * The seed's schemas (003, Cedana policy API) for the face's OpenAPI 3.0 document: the same fields, types,
 * formats, enums and required lists; the seed's 3.1 {@code ["T", "null"]} written as {@code nullable}.
 */
final class CedanaSchemas {
    private CedanaSchemas() {}

    static final ObjectNode ERROR = FaceSchemas.parse("""
      {'type': 'object', 'description': 'Standard error response for API endpoints', 'required': ['message'],
       'properties': {
         'code': {'type': 'string', 'nullable': true, 'description': 'HTTP status code'},
         'details': {'description': 'Optional additional error details'},
         'message': {'type': 'string', 'description': 'Error message describing what went wrong'}}}""");

    static final ObjectNode POLICY_REQUEST = FaceSchemas.parse("""
      {'type': 'object', 'required': ['heartbeat_time', 'resource_ids', 'cluster_id'],
       'properties': {
         'cluster_id': {'type': 'string'},
         'heartbeat_time': {'type': 'integer', 'format': 'int64', 'minimum': 0},
         'id': {'type': 'string', 'nullable': true},
         'job_filter': {'type': 'object', 'nullable': true, 'properties': {
           'namespace': {'type': 'string', 'nullable': true},
           'priority': {'type': 'integer', 'format': 'int32', 'nullable': true}}},
         'policy_type': {'type': 'string', 'nullable': true, 'enum': ['heartbeat', null]},
         'resource': {'type': 'string', 'nullable': true, 'enum': ['pods', 'namespace', 'jobs', null]},
         'resource_ids': {'type': 'array', 'items': {'type': 'string', 'format': 'uuid'}},
         'resource_name': {'type': 'string'},
         'runc_root': {'type': 'string', 'nullable': true}}}""");

    static final ObjectNode DELETE_REQUEST = FaceSchemas.parse("""
      {'type': 'object', 'required': ['id'], 'properties': {'id': {'type': 'string', 'format': 'uuid'}}}""");

    static final ObjectNode ID_TEXT = FaceSchemas.parse("{'type': 'string'}");

    static final ObjectNode POLICY_LIST = FaceSchemas.parse("""
      {'type': 'array', 'items': {'type': 'object',
       'required': ['id', 'status', 'policy_type', 'input', 'resource', 'resource_list', 'pod_count'],
       'properties': {
         'id': {'type': 'string'},
         'input': {'type': 'integer', 'format': 'int64'},
         'job_count': {'type': 'integer', 'format': 'int64', 'nullable': true},
         'pod_count': {'type': 'integer', 'format': 'int64'},
         'policy_type': {'type': 'string'},
         'resource': {'type': 'string'},
         'resource_list': {'type': 'array', 'items': {'type': 'string'}},
         'status': {'type': 'string'},
         'timestamp': {'type': 'string', 'format': 'date-time', 'nullable': true}}}}""");

    static final ObjectNode PODS = FaceSchemas.parse("""
      {'type': 'array', 'items': {'type': 'object', 'required': ['id', 'name', 'namespace', 'status'],
       'properties': {
         'id': {'type': 'string', 'format': 'uuid'},
         'name': {'type': 'string'},
         'namespace': {'type': 'string'},
         'status': {'type': 'string'}}}}""");

    static final ObjectNode JOBS = FaceSchemas.parse("""
      {'type': 'object', 'required': ['policy_id', 'affected_jobs', 'count'],
       'properties': {
         'affected_jobs': {'type': 'array', 'items': {'type': 'object',
           'required': ['id', 'name', 'namespace', 'status', 'pod_count'],
           'properties': {
             'id': {'type': 'string'},
             'name': {'type': 'string'},
             'namespace': {'type': 'string'},
             'pod_count': {'type': 'integer', 'format': 'int64'},
             'priority': {'type': 'integer', 'format': 'int32', 'nullable': true},
             'status': {'type': 'string'}}}},
         'count': {'type': 'integer', 'format': 'int64'},
         'policy_id': {'type': 'string'}}}""");

    static final ObjectNode JOB_STATUS = FaceSchemas.parse("""
      {'type': 'object', 'required': ['policy_id', 'job_ids', 'tracked_pods', 'pod_count'],
       'properties': {
         'job_ids': {'type': 'array', 'items': {'type': 'string'}},
         'job_status': {'type': 'string', 'nullable': true},
         'last_updated': {'type': 'string', 'nullable': true},
         'pod_count': {'type': 'integer', 'format': 'int64'},
         'policy_id': {'type': 'string'},
         'tracked_pods': {'type': 'array', 'items': {'type': 'string'}}}}""");
}
