#!/usr/bin/env python3
"""Reads an Avro object container file written by `lethe export dataset --format avro` with
Debian's python3-avro (Apache Avro's Python library, no Lethe code) and prints one JSON line per
record: {"requestId", "status", "jurisdiction", "subjectKey"}, then {"offsets": <the file's
lethe.dataset.offsets metadata>}."""
import json
import sys

from avro.datafile import DataFileReader
from avro.io import DatumReader

with open(sys.argv[1], "rb") as f:
    reader = DataFileReader(f, DatumReader())
    for record in reader:
        print(json.dumps({key: record.get(key) for key in ("requestId", "status", "jurisdiction", "subjectKey")}))
    offsets = reader.get_meta("lethe.dataset.offsets")
    print(json.dumps({"offsets": offsets.decode("utf-8") if offsets is not None else None}))
    reader.close()
