#!/bin/sh
# Installs what the Python partner client (partner.py) needs, from Debian's packages, for the
# system Python /usr/bin/python3: confluent-kafka (librdkafka), avro, and requests (the schema
# registry client). Does nothing when they are already there. Needs root (CI runs as root) and
# Debian's package archive; exits non-zero, saying why, when it cannot install.
set -eu
PACKAGES="python3-confluent-kafka python3-avro python3-requests"
if /usr/bin/python3 -c 'import confluent_kafka, avro, requests' 2>/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get is not available: install $PACKAGES for /usr/bin/python3 by hand" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "not root: run 'apt-get install -y $PACKAGES' as root" >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PACKAGES
/usr/bin/python3 -c 'import confluent_kafka, avro, requests'
