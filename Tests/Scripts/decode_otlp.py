#!/usr/bin/env python3
"""Decode an OTLP trace export request with the OpenTelemetry protobuf
definitions and print a JSON summary of its spans.

By default the request is OTLP/JSON. OTLP/JSON writes trace and span ids as
hex, while protobuf's JSON mapping expects base64 for bytes fields, so the
ids are converted first. Every other field is parsed as protobuf's JSON
parser reads it, with unknown fields rejected, so a misspelled field name or
a wrong value type fails here. With --protobuf the request is binary
protobuf; dump_otlp_protobuf.py checks that form field by field.

Usage: decode_otlp.py [--protobuf] REQUEST
"""

import base64
import json
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

ID_FIELDS = ("traceId", "spanId", "parentSpanId")


def hex_ids_to_base64(message):
    """Replace the hex ids of a span or link with base64, in place."""
    for field in ID_FIELDS:
        if field in message:
            message[field] = base64.b64encode(bytes.fromhex(message[field])).decode("ascii")


def convert_ids(document):
    for resource_spans in document.get("resourceSpans", []):
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                hex_ids_to_base64(span)
                for link in span.get("links", []):
                    hex_ids_to_base64(link)


def attribute_value(any_value):
    """Return the Python value of an AnyValue message."""
    kind = any_value.WhichOneof("value")
    if kind == "array_value":
        return [attribute_value(element) for element in any_value.array_value.values]
    return getattr(any_value, kind) if kind else None


def summarize(request):
    spans = []
    for resource_spans in request.resource_spans:
        resource = {a.key: attribute_value(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append({
                    "service": resource.get("service.name"),
                    "scope": scope_spans.scope.name,
                    "name": span.name,
                    "kind": span.kind,
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "attributes": {a.key: attribute_value(a.value) for a in span.attributes},
                    "events": [event.name for event in span.events],
                    "links": [link.span_id.hex() for link in span.links],
                    "statusCode": span.status.code,
                    "statusMessage": span.status.message,
                    "durationValid": span.end_time_unix_nano >= span.start_time_unix_nano > 0,
                })
    return {"spans": spans}


def main(path, binary):
    request = trace_service_pb2.ExportTraceServiceRequest()
    if binary:
        with open(path, "rb") as file:
            request.ParseFromString(file.read())
    else:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        convert_ids(document)
        json_format.Parse(json.dumps(document), request, ignore_unknown_fields=False)
    print(json.dumps(summarize(request)))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    binary = arguments[:1] == ["--protobuf"]
    if binary:
        arguments = arguments[1:]
    if len(arguments) != 1:
        sys.exit("usage: decode_otlp.py [--protobuf] REQUEST")
    main(arguments[0], binary)
