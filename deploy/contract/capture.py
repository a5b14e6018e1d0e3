#!/usr/bin/python3
"""Record every message the platform's services publish, for check-messages.py.

Usage: capture.py --amqp-url URL --out FILE [--on-connect COMMAND]

Binds a private queue to RabbitMQ's firehose (`amq.rabbitmq.trace`, routing keys `publish.#`; the
virtual host's tracing must be on: `rabbitmqctl trace_on -p VHOST`) and appends one JSON line per message
published by a service's user (`svc.*`) to FILE: exchange, routing key, user, AMQP properties and body.
The file holds personal data (assignments carry the citizen's contact), so it is created with mode 0600
and belongs in the local test directory only.

When the broker goes away (the tests restart it), the capture reconnects and runs COMMAND first (e.g.
the command that turns tracing on again, since a restarted node forgets it). Stops on SIGTERM or SIGINT.
Needs pika (Debian: python3-pika).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

import pika


def text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def plain(value):
    """AMQP table values as JSON values (pika gives bytes for long strings)."""
    if isinstance(value, dict):
        return {text(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return text(value)


def record(out, headers, body):
    user = text(headers.get("user", ""))
    if not user.startswith("svc."):
        return False
    properties = plain(headers.get("properties") or {})
    line = {
        "exchange": text(headers.get("exchange_name", "")),
        "routing_key": ",".join(text(k) for k in headers.get("routing_keys") or []),
        "user": user,
        "properties": properties,
        "body": body.decode("utf-8", "replace"),
    }
    out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.flush()
    return True


def capture(url, out, on_connect):
    if on_connect:
        subprocess.run(on_connect, shell=True, check=True, stdout=subprocess.DEVNULL)
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
    channel.queue_bind(queue, "amq.rabbitmq.trace", "publish.#")

    def on_message(ch, method, properties, body):
        record(out, properties.headers or {}, body)
        ch.basic_ack(method.delivery_tag)

    channel.basic_consume(queue, on_message)
    print("capture: recording", file=sys.stderr, flush=True)
    try:
        channel.start_consuming()
    finally:
        if connection.is_open:
            connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--on-connect")
    args = parser.parse_args()

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        while True:
            try:
                capture(args.amqp_url, out, args.on_connect)
            except KeyboardInterrupt:
                return 0
            except (pika.exceptions.AMQPError, subprocess.CalledProcessError, OSError) as error:
                print(f"capture: {type(error).__name__}; reconnecting", file=sys.stderr, flush=True)
                time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
