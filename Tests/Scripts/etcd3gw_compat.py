#!/usr/bin/env python3
"""Drive an etcd v3 JSON gateway with the etcd3gw client and print a
normalized JSON transcript of what it returned.

The control plane's compatibility test runs this against a real etcd and
against the control plane's store API, and expects the same transcript.
Everything that differs between two correct servers is normalized away:
cluster and member ids, lease ids, remaining TTLs, and revisions, which
are written relative to the revision of the first put. Errors keep their
gRPC code. Their message is kept only where etcd defines it (a compacted or
future revision, a missing lease), because clients match those strings.

The server must start empty, since the transcript lists every key.

Usage: etcd3gw_compat.py http://127.0.0.1:PORT
"""

import base64
import json
import queue
import sys
import threading
import urllib.parse

import etcd3gw
from etcd3gw import exceptions

# The messages etcd 3.4 defines for these errors, which clients compare.
ETCD_MESSAGES = (
    "etcdserver: mvcc: required revision has been compacted",
    "etcdserver: mvcc: required revision is a future revision",
    "etcdserver: requested lease not found",
)
WATCH_TIMEOUT_SECONDS = 20


class Transcript:
    """Records steps as [name, result] pairs, with revisions made relative."""

    def __init__(self):
        self.steps = []
        self.base = None

    def record(self, name, result):
        self.steps.append([name, result])

    def revision(self, value):
        """Return a revision relative to the first put, which is 0."""
        return int(value) - self.base

    def key_value(self, metadata):
        """Normalize the metadata of one key, as etcd3gw returns it."""
        result = {}
        for field, value in sorted(metadata.items()):
            if field in ("create_revision", "mod_revision"):
                result[field] = self.revision(value)
            elif field == "version":
                result[field] = int(value)
            elif field == "lease":
                result[field] = "set"
            elif field in ("key", "value"):
                result[field] = as_text(value)
            else:
                result[field] = value
        return result

    def event(self, event):
        """Normalize one watch event: its type, key and previous key."""
        result = {"type": event.get("type", "PUT"), "kv": self.key_value(event["kv"])}
        if "prev_kv" in event:
            previous = dict(event["prev_kv"])
            previous["key"] = base64.b64decode(previous["key"])
            if "value" in previous:
                previous["value"] = base64.b64decode(previous["value"])
            result["prev_kv"] = self.key_value(previous)
        return result


def as_text(value):
    """Decode bytes that etcd3gw returns, for JSON output."""
    return value.decode("utf-8") if isinstance(value, (bytes, bytearray)) else value


def encode(text):
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def error_summary(error):
    """Summarize an etcd3gw exception: the gRPC code, and etcd's message
    when etcd defines it. etcd3gw puts the response body in detail_text."""
    try:
        body = json.loads(error.detail_text)
    except (TypeError, ValueError):
        return {"exception": type(error).__name__, "body": "not JSON"}
    summary = {"exception": type(error).__name__, "code": body.get("code")}
    if body.get("message") in ETCD_MESSAGES:
        summary["message"] = body["message"]
    return summary


def expect_error(transcript, name, call):
    try:
        result = call()
    except exceptions.Etcd3Exception as error:
        transcript.record(name, error_summary(error))
        return
    transcript.record(name, {"unexpected_success": repr(result)})


def current_revision(client):
    """Return the server's revision from the header of a range response."""
    response = client.post(client.get_url("/kv/range"), json={"key": encode("compat/none")})
    return int(response["header"]["revision"])


def next_events(events, count):
    """Read `count` events from a watch iterator, failing after a bound.

    The iterator blocks until an event arrives, so a daemon thread reads it,
    which cannot keep the script from exiting when the events never come."""
    results = queue.Queue()

    def read():
        try:
            results.put([next(events) for _ in range(count)])
        except Exception as error:  # handed to the main thread, which raises it
            results.put(error)

    threading.Thread(target=read, daemon=True).start()
    try:
        result = results.get(timeout=WATCH_TIMEOUT_SECONDS)
    except queue.Empty:
        sys.exit(f"fewer than {count} watch events arrived within {WATCH_TIMEOUT_SECONDS} s")
    if isinstance(result, Exception):
        raise result
    return result


def run_key_values(client, transcript):
    transcript.record("put a", client.put("compat/a", "1"))
    transcript.base = int(client.get("compat/a", metadata=True)[0][1]["mod_revision"])
    client.put("compat/b", "2")
    client.put("compat/c", "3")
    transcript.record("get a", [as_text(value) for value in client.get("compat/a")])
    transcript.record("get missing", client.get("compat/missing"))
    transcript.record("get prefix", [
        [as_text(value), transcript.key_value(metadata)]
        for value, metadata in client.get_prefix("compat/")
    ])
    transcript.record("get sorted and limited", [
        as_text(value)
        for value in client.get("compat/", range_end="compat0", sort_order="descend", sort_target="mod", limit=2)
    ])
    transcript.record("get all", [as_text(metadata["key"]) for _, metadata in client.get_all()])
    transcript.record("create existing", client.create("compat/a", "x"))
    transcript.record("create new", client.create("compat/new", "n"))
    transcript.record("replace matching", client.replace("compat/a", "1", "10"))
    transcript.record("replace stale", client.replace("compat/a", "1", "11"))
    transcript.record("get after replace", [as_text(value) for value in client.get("compat/a")])
    transcript.record("delete b", client.delete("compat/b"))
    transcript.record("delete missing", client.delete("compat/missing"))
    transcript.record("delete prefix c", client.delete_prefix("compat/c"))
    transcript.record("keys left", [as_text(metadata["key"]) for _, metadata in client.get_prefix("compat/")])


def run_transaction(client, transcript):
    result = client.transaction({
        "compare": [{"key": encode("compat/a"), "result": "EQUAL", "target": "VALUE", "value": encode("10")}],
        "success": [
            {"request_put": {"key": encode("compat/t"), "value": encode("t1")}},
            {"request_range": {"key": encode("compat/a")}},
            {"request_delete_range": {"key": encode("compat/new"), "prev_kv": True}},
        ],
        "failure": [],
    })
    responses = []
    for response in result.get("responses", []):
        (kind, body), = response.items()
        summary = {"kind": kind, "revision": transcript.revision(body["header"]["revision"])}
        if "kvs" in body:
            summary["kvs"] = [transcript.key_value(decoded(item)) for item in body["kvs"]]
        if "deleted" in body:
            summary["deleted"] = body["deleted"]
            summary["prev_kvs"] = [transcript.key_value(decoded(item)) for item in body["prev_kvs"]]
        responses.append(summary)
    transcript.record("transaction", {
        "succeeded": result.get("succeeded", False),
        "revision": transcript.revision(result["header"]["revision"]),
        "responses": responses,
    })


def decoded(item):
    """Decode the base64 key and value of a key in a raw response."""
    result = dict(item)
    result["key"] = base64.b64decode(item["key"])
    if "value" in item:
        result["value"] = base64.b64decode(item["value"])
    return result


def run_leases(client, transcript):
    lease = client.lease(ttl=30)
    transcript.record("lease granted", lease.id > 0)
    client.put("compat/leased", "v", lease=lease)
    transcript.record("lease keys", [as_text(key) for key in lease.keys()])
    transcript.record("lease refresh", lease.refresh())
    transcript.record("lease ttl in range", 0 < lease.ttl() <= 30)
    transcript.record("leased key", [transcript.key_value(metadata) for _, metadata in client.get_prefix("compat/leased")])
    transcript.record("lease revoke", lease.revoke())
    transcript.record("leased key after revoke", client.get("compat/leased"))
    transcript.record("lease ttl after revoke", lease.ttl())
    transcript.record("lease refresh after revoke", lease.refresh())
    expect_error(transcript, "lease revoke again", lease.revoke)


def run_errors(client, transcript):
    future = current_revision(client) + 100
    expect_error(transcript, "get future revision", lambda: client.get("compat/a", revision=future))
    expect_error(transcript, "get empty key", lambda: client.get(""))
    expect_error(transcript, "put empty key", lambda: client.put("", "v"))


def run_watches(client, transcript):
    start = current_revision(client) + 1
    events, cancel = client.watch("compat/w", start_revision=start)
    client.put("compat/w", "watched")
    transcript.record("watch one event", [transcript.event(event) for event in next_events(events, 1)])
    cancel()

    start = current_revision(client) + 1
    client.put("compat/p/x", "1")
    client.delete("compat/p/x")
    events, cancel = client.watch_prefix("compat/p/", start_revision=start, prev_kv=True)
    transcript.record("watch prefix from revision", [transcript.event(event) for event in next_events(events, 2)])
    cancel()


def run_compaction(client, transcript):
    old = transcript.base
    compacted = current_revision(client)
    response = client.post(client.get_url("/kv/compaction"), json={"revision": compacted})
    transcript.record("compaction", transcript.revision(response["header"]["revision"]) >= 0)
    expect_error(transcript, "get compacted revision", lambda: client.get("compat/a", revision=old))
    expect_error(
        transcript,
        "compact again",
        lambda: client.post(client.get_url("/kv/compaction"), json={"revision": compacted}),
    )


def run_status(client, transcript):
    status = client.status()
    transcript.record("status", {
        "header": sorted(status.get("header", {}).keys()),
        "version is text": isinstance(status.get("version"), str),
    })


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: etcd3gw_compat.py http://127.0.0.1:PORT")
    url = urllib.parse.urlparse(sys.argv[1])
    client = etcd3gw.client(host=url.hostname, port=url.port, api_path="/v3/", timeout=30)
    transcript = Transcript()
    run_key_values(client, transcript)
    run_transaction(client, transcript)
    run_leases(client, transcript)
    run_errors(client, transcript)
    run_watches(client, transcript)
    run_compaction(client, transcript)
    run_status(client, transcript)
    json.dump(transcript.steps, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
