#!/usr/bin/env python3
"""Decode a binary protobuf OTLP trace export request with the OpenTelemetry
protobuf definitions and print every field of it as JSON.

The request must parse, and no message in it may carry unknown fields: a
wrong field number or wire type in the encoder makes the parser keep the
field as unknown, so it fails here. The output also reports whether protobuf's
own deterministic serialization of the parsed request gives back exactly
the input bytes ("canonical").

Values that JSON numbers cannot carry exactly are strings: 64-bit integers
in decimal, doubles as Python's repr ("0.25", "nan", "-inf"), ids as hex.
An attribute value is an object with one member naming its type: "string",
"bool", "int", "double", "array", or "unset" for an AnyValue without one.

Usage: dump_otlp_protobuf.py REQUEST.bin
"""

import json
import sys

from google.protobuf import unknown_fields
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2


def is_repeated(field):
    """Return whether `field` is repeated. Protobuf 7 replaced `label` with `is_repeated`."""
    if hasattr(field, "is_repeated"):
        return field.is_repeated
    return field.label == field.LABEL_REPEATED


def unknown_field_paths(message, path="request"):
    """Return the paths of messages under `message` that have unknown fields."""
    found = []
    if len(unknown_fields.UnknownFieldSet(message)) > 0:
        found.append(path)
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if is_repeated(field):
            for index, element in enumerate(value):
                found += unknown_field_paths(element, "%s.%s[%d]" % (path, field.name, index))
        else:
            found += unknown_field_paths(value, "%s.%s" % (path, field.name))
    return found


def any_value(value):
    kind = value.WhichOneof("value")
    if kind == "string_value":
        return {"string": value.string_value}
    if kind == "bool_value":
        return {"bool": value.bool_value}
    if kind == "int_value":
        return {"int": str(value.int_value)}
    if kind == "double_value":
        return {"double": repr(value.double_value)}
    if kind == "array_value":
        return {"array": [any_value(element) for element in value.array_value.values]}
    if kind is None:
        return {"unset": None}
    return {"unsupported": kind}


def attributes(key_values):
    return [{"key": pair.key, "value": any_value(pair.value)} for pair in key_values]


def event(message):
    return {
        "timeUnixNano": str(message.time_unix_nano),
        "name": message.name,
        "attributes": attributes(message.attributes),
        "droppedAttributesCount": message.dropped_attributes_count,
    }


def link(message):
    return {
        "traceId": message.trace_id.hex(),
        "spanId": message.span_id.hex(),
        "traceState": message.trace_state,
        "attributes": attributes(message.attributes),
        "droppedAttributesCount": message.dropped_attributes_count,
        "flags": message.flags,
    }


def span(message):
    return {
        "traceId": message.trace_id.hex(),
        "spanId": message.span_id.hex(),
        "traceState": message.trace_state,
        "parentSpanId": message.parent_span_id.hex(),
        "flags": message.flags,
        "name": message.name,
        "kind": message.kind,
        "startTimeUnixNano": str(message.start_time_unix_nano),
        "endTimeUnixNano": str(message.end_time_unix_nano),
        "attributes": attributes(message.attributes),
        "droppedAttributesCount": message.dropped_attributes_count,
        "events": [event(item) for item in message.events],
        "droppedEventsCount": message.dropped_events_count,
        "links": [link(item) for item in message.links],
        "droppedLinksCount": message.dropped_links_count,
        "status": {"code": message.status.code, "message": message.status.message},
        "hasStatus": message.HasField("status"),
    }


def dump(request):
    return [{
        "resource": {"attributes": attributes(resource_spans.resource.attributes)},
        "scopeSpans": [{
            "scope": {"name": scope_spans.scope.name, "version": scope_spans.scope.version},
            "spans": [span(item) for item in scope_spans.spans],
        } for scope_spans in resource_spans.scope_spans],
    } for resource_spans in request.resource_spans]


def main(path):
    with open(path, "rb") as file:
        body = file.read()
    request = trace_service_pb2.ExportTraceServiceRequest()
    request.ParseFromString(body)
    unknown = unknown_field_paths(request)
    if unknown:
        sys.exit("unknown fields (wrong field number or wire type) in: " + ", ".join(unknown))
    print(json.dumps({
        "resourceSpans": dump(request),
        "canonical": request.SerializeToString(deterministic=True) == body,
    }))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: dump_otlp_protobuf.py REQUEST.bin")
    main(sys.argv[1])
