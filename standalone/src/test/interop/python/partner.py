#!/usr/bin/python3
"""A partner's Python client of Lethe's topics, with Debian's python3-confluent-kafka (librdkafka)
and python3-avro, using the schemas Lethe registered at start (no auto-registration: the latest
version of each subject is fetched and looked up). See docs/partners.md.

It files a request for each id of PARTNER_REQUEST_IDS (comma-separated; default two fresh UUIDs)
on erasure.requests, keyed by request id as plain text
(PARTNER_KEY=text) or as a Confluent-Avro string (PARTNER_KEY=avro), with librdkafka's default
partitioner (consistent_random: CRC32 of the key, not Kafka's murmur2, so a text key may land on
another partition than Lethe's canonical one: Lethe re-routes it); reads erasure.events (text
key, registry-decoded value); and answers DONE on erasure.callbacks for every system an event of
its own requests names, keyed the same way. One JSON line on stdout per step. Exits 0 once every
request it filed has been answered, 1 on an error or after PARTNER_TIMEOUT_MS.
"""
import io
import json
import os
import struct
import sys
import time
import uuid
from datetime import datetime, timezone

import avro.io
import avro.schema
from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

BOOTSTRAP = os.environ["LETHE_BOOTSTRAP_SERVERS"]
KEY = os.environ.get("PARTNER_KEY", "text")
IDS = os.environ.get("PARTNER_REQUEST_IDS", "").split(",") if os.environ.get("PARTNER_REQUEST_IDS") \
    else [str(uuid.uuid4()), str(uuid.uuid4())]
TIMEOUT_S = int(os.environ.get("PARTNER_TIMEOUT_MS", "90000")) / 1000
PARTNER = "partner-py-" + KEY
MAGIC = b"\x00"


def say(line):
    print(json.dumps(line), flush=True)


class Registered:
    """One subject's latest schema, looked up as a serializer with auto.register.schemas=False does."""

    def __init__(self, registry, subject):
        latest = registry.get_latest_version(subject)
        found = registry.lookup_schema(subject, Schema(latest.schema.schema_str, "AVRO"))
        if found.schema_id != latest.schema_id:
            raise RuntimeError("%s: lookup found id %s, latest is %s" % (subject, found.schema_id, latest.schema_id))
        self.id = latest.schema_id
        self.writer = avro.io.DatumWriter(avro.schema.parse(latest.schema.schema_str))

    def encode(self, datum):
        out = io.BytesIO()
        out.write(MAGIC + struct.pack(">I", self.id))
        self.writer.write(datum, avro.io.BinaryEncoder(out))
        return out.getvalue()


class Decoder:
    """Confluent wire format to a dict, with the writer schema fetched by id (cached)."""

    def __init__(self, registry):
        self.registry = registry
        self.readers = {}

    def decode(self, data):
        if data[:1] != MAGIC:
            raise ValueError("not in the Confluent wire format")
        schema_id = struct.unpack(">I", data[1:5])[0]
        if schema_id not in self.readers:
            schema = self.registry.get_schema(schema_id)
            self.readers[schema_id] = avro.io.DatumReader(avro.schema.parse(schema.schema_str))
        return self.readers[schema_id].read(avro.io.BinaryDecoder(io.BytesIO(data[5:])))


def main():
    registry = SchemaRegistryClient({"url": os.environ["LETHE_SCHEMA_REGISTRY_URL"]})
    request_value = Registered(registry, "erasure.requests-value")
    callback_value = Registered(registry, "erasure.callbacks-value")
    request_key = Registered(registry, "erasure.requests-key") if KEY == "avro" else None
    callback_key = Registered(registry, "erasure.callbacks-key") if KEY == "avro" else None
    decoder = Decoder(registry)

    def key(registered, request_id):
        return registered.encode(request_id) if KEY == "avro" else request_id.encode("utf-8")

    # librdkafka's defaults, partitioner included (consistent_random)
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "enable.idempotence": True})
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": PARTNER + "-" + str(uuid.uuid4()),
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
    consumer.subscribe(["erasure.events"])

    open_ids = set()
    for request_id in IDS:
        user_id = "u-%s-%s" % (PARTNER, uuid.uuid4())
        open_ids.add(request_id)
        request = {
            "requestId": request_id, "subject": {"namespace": "user_id", "value": user_id}, "identifiers": [],
            "jurisdiction": "GDPR", "reason": "account_deleted", "source": PARTNER, "scope": None, "objects": [],
            "graceDays": 0, "requestedAt": datetime.now(timezone.utc), "submittedBy": PARTNER, "fingerprint": None,
        }
        written = []
        producer.produce("erasure.requests", key=key(request_key, request_id), value=request_value.encode(request),
                         on_delivery=lambda err, msg: written.append((err, msg)))
        producer.flush(30)
        err, msg = written[0]
        if err is not None:
            raise RuntimeError("could not file %s: %s" % (request_id, err))
        say({"filed": request_id, "userId": user_id, "partition": msg.partition()})

    deadline = time.monotonic() + TIMEOUT_S
    try:
        while open_ids:
            if time.monotonic() > deadline:
                raise RuntimeError("no erasure event for %s within %s s" % (sorted(open_ids), TIMEOUT_S))
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                raise RuntimeError(str(msg.error()))
            event = decoder.decode(msg.value())
            request_id = event["requestId"]
            if request_id not in open_ids:
                continue
            open_ids.discard(request_id)
            say({"event": request_id, "key": msg.key().decode("utf-8", "replace"), "subjectKey": event["subjectKey"],
                 "systems": event["systems"], "partition": msg.partition()})
            for system in event["systems"]:
                callback = {
                    "eventId": str(uuid.uuid4()), "requestId": request_id, "system": system,
                    "at": datetime.now(timezone.utc), "actor": "partner:" + system, "outcome": "DONE",
                    "itemsErased": 1, "detail": "erased by " + PARTNER, "legalBasis": None,
                }
                producer.produce("erasure.callbacks", key=key(callback_key, request_id),
                                 value=callback_value.encode(callback))
            if producer.flush(30) != 0:
                raise RuntimeError("callbacks for %s not delivered" % request_id)
            say({"answered": request_id, "systems": event["systems"]})
    finally:
        consumer.close()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - the test reads the reason on stderr
        print("%s failed: %r" % (PARTNER, error), file=sys.stderr)
        sys.exit(1)
