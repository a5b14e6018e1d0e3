#!/usr/bin/python3
"""Check captured AMQP messages against the platform's AsyncAPI message contract.

Usage: check-messages.py [--min N] ASYNCAPI_YAML CAPTURE_JSONL

Each line of CAPTURE_JSONL is one published message: {"exchange", "routing_key", "user",
"properties": {"type", "message_id", "content_type", "delivery_mode", "timestamp", ...}, "body"}
with the body as UTF-8 text. A message is looked up in the document by its AMQP `type` (a
message's `name`); its body must be JSON valid against the message's payload schema, and its
properties valid against the `x-amqp-properties` schema of its traits (persistent, application/json,
message_id, type and timestamp set). Validation is jsonschema's Draft 7 validator with the `$ref`s
resolved inside the document (python3-jsonschema 4.10 on Debian 12, or later) and PyYAML.

Prints the messages checked per type and each distinct failure (type, JSON path, the validator's
message, how many messages had it, the first one's message_id). Bodies are never printed, nor the
offending values, except vocabulary words. Exit status 1 on any failure or when fewer than --min
messages (default 1) were checked, else 0.
"""
import argparse
import json
import pathlib
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime

import yaml
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import SchemaError

try:  # jsonschema 4.18 and later resolve $refs with `referencing`
    from referencing import Registry
    from referencing.jsonschema import DRAFT7
except ImportError:  # jsonschema 4.10 (Debian 12): RefResolver
    from jsonschema import RefResolver
    Registry = None

FORMATS = getattr(Draft7Validator, "FORMAT_CHECKER", None) or FormatChecker()
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

if "date-time" not in FORMATS.checkers:  # jsonschema checks date-time only with rfc3339-validator
    @FORMATS.checks("date-time", raises=ValueError)
    def _date_time(value):
        if isinstance(value, str):
            if not RFC3339.match(value.upper()):
                raise ValueError("not an RFC 3339 time with an offset")
            datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        return True


def validator_for(doc, uri, pointer):
    """A Draft 7 validator for the schema at `pointer` in the document, its `$ref`s resolved in it."""
    schema = {"$ref": f"{uri}#{pointer}"}
    if Registry is None:
        return Draft7Validator(schema, resolver=RefResolver(uri, doc), format_checker=FORMATS)
    registry = Registry().with_resource(uri, DRAFT7.create_resource(doc))
    return Draft7Validator(schema, registry=registry, format_checker=FORMATS)


def node_at(doc, pointer):
    """The node at a JSON pointer (`/components/...`) of the document."""
    for part in pointer.strip("/").split("/"):
        doc = doc[part.replace("~1", "/").replace("~0", "~")]
    return doc


def load_contract(path):
    """The document's messages by name: (payload validator, AMQP properties validator or None)."""
    doc = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8"))
    uri = pathlib.Path(path).resolve().as_uri()
    for name, schema in doc["components"].get("schemas", {}).items():
        try:
            Draft7Validator.check_schema(schema)
        except SchemaError as error:
            sys.exit(f"{path}: components/schemas/{name} is not a valid schema: {error.message}")
    messages = {}
    for key, message in doc["components"]["messages"].items():
        where = f"/components/messages/{key}"
        properties = None  # from the message's traits, which AsyncAPI applies to the message
        for index, trait in enumerate(message.get("traits", [])):
            pointer = trait["$ref"][1:] if "$ref" in trait else f"{where}/traits/{index}"
            if "x-amqp-properties" in node_at(doc, pointer):
                properties = validator_for(doc, uri, f"{pointer}/x-amqp-properties")
        messages[message.get("name", key)] = (validator_for(doc, uri, f"{where}/payload"), properties)
    return messages


def json_path(error):
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def describe(error):
    """The validator's message without the offending value (personal data, maybe) unless it is a
    vocabulary word (enum, const), a Boolean or null."""
    value = error.instance
    if error.validator in ("enum", "const") or value is None or isinstance(value, bool):
        return error.message
    kind = {dict: "object", list: "array", str: "string"}.get(type(value), "number")
    return error.message.replace(repr(value), f"<{kind}>", 1)


def check(line, messages):
    """The message's type, its message_id and its failures as (where, JSON path, message)."""
    try:
        record = json.loads(line)
        properties, body = record["properties"], record["body"]
        kind, message_id = str(properties.get("type") or "(no type)"), properties.get("message_id")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        return "(unreadable capture line)", None, [("capture", "$", f"not a capture record ({error!r})")]
    if kind not in messages:
        return kind, message_id, [("properties", "$.type", "no message of this type in the contract")]
    payload, transport = messages[kind]
    failures = []
    if transport is not None:
        failures += [("properties", json_path(e), describe(e)) for e in transport.iter_errors(properties)]
    try:
        data = json.loads(body)
    except (ValueError, TypeError) as error:
        return kind, message_id, failures + [("body", "$", f"not JSON text ({type(error).__name__})")]
    failures += [("body", json_path(e), describe(e)) for e in payload.iter_errors(data)]
    return kind, message_id, failures


def main():
    parser = argparse.ArgumentParser(description="Check captured messages against the AsyncAPI contract.")
    parser.add_argument("--min", type=int, default=1, help="fail when fewer messages were checked (default 1)")
    parser.add_argument("asyncapi")
    parser.add_argument("capture")
    args = parser.parse_args()

    messages = load_contract(args.asyncapi)
    checked, failed = Counter(), defaultdict(list)
    with open(args.capture, encoding="utf-8") as capture:
        for line in capture:
            if line.strip():
                kind, message_id, failures = check(line, messages)
                checked[kind] += 1
                for where, path, text in failures:
                    failed[(kind, where, path, text)].append(message_id)

    total = sum(checked.values())
    print(f"{total} messages checked against {args.asyncapi}")
    for kind, count in sorted(checked.items()):
        print(f"  {count:6d}  {kind}")
    if failed:
        print(f"{sum(len(ids) for ids in failed.values())} failures:")
        for (kind, where, path, text), ids in sorted(failed.items()):
            print(f"  {kind}  {where} {path}: {text}  (x{len(ids)}, first message_id {ids[0]})")
    if total < args.min:
        print(f"fewer than --min {args.min} messages checked")
    return 1 if failed or total < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
