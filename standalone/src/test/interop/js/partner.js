'use strict';
// A partner's Node.js client of Lethe's topics, in the usual setup: kafkajs and
// @kafkajs/confluent-schema-registry, with the schemas Lethe registered at start (no
// auto-registration: the latest id of each subject is fetched). See docs/partners.md.
//
// It files a request for each id of PARTNER_REQUEST_IDS (comma-separated; default two fresh
// UUIDs) on erasure.requests, keyed by request id as plain text
// (PARTNER_KEY=text) or as a schema-registry-encoded Avro string (PARTNER_KEY=avro); reads
// erasure.events (text key, registry-decoded value); and answers DONE on erasure.callbacks for
// every system an event of its own requests names, keyed the same way. One JSON line on stdout
// per step: {"filed": ...}, {"event": ...}, {"answered": ...}. Exits 0 once every request it
// filed has been answered, 1 on an error or after PARTNER_TIMEOUT_MS.
const crypto = require('crypto');
const { Kafka, Partitioners, logLevel } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');

function setting(name, fallback) {
  const value = process.env[name] || fallback;
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

const BOOTSTRAP = setting('LETHE_BOOTSTRAP_SERVERS').split(',');
const REGISTRY = setting('LETHE_SCHEMA_REGISTRY_URL');
const KEY = setting('PARTNER_KEY', 'text');
const IDS = process.env.PARTNER_REQUEST_IDS
  ? process.env.PARTNER_REQUEST_IDS.split(',') : [crypto.randomUUID(), crypto.randomUUID()];
const TIMEOUT_MS = Number(setting('PARTNER_TIMEOUT_MS', '90000'));
const PARTNER = `partner-js-${KEY}`;

const say = (line) => process.stdout.write(JSON.stringify(line) + '\n');

async function main() {
  const registry = new SchemaRegistry({ host: REGISTRY });
  const kafka = new Kafka({ clientId: PARTNER, brokers: BOOTSTRAP, logLevel: logLevel.WARN });
  const ids = {
    request: await registry.getLatestSchemaId('erasure.requests-value'),
    callback: await registry.getLatestSchemaId('erasure.callbacks-value'),
    requestKey: KEY === 'avro' ? await registry.getLatestSchemaId('erasure.requests-key') : null,
    callbackKey: KEY === 'avro' ? await registry.getLatestSchemaId('erasure.callbacks-key') : null,
  };
  const key = (schemaId, requestId) => (KEY === 'avro' ? registry.encode(schemaId, requestId) : requestId);

  // the Java-compatible murmur2 partitioner (kafkajs' default since 2.0), named to silence its warning
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  const consumer = kafka.consumer({ groupId: `${PARTNER}-${crypto.randomUUID()}` });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: 'erasure.events', fromBeginning: true });

  const open = new Set();
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const event = await registry.decode(message.value);
      if (!open.has(event.requestId)) {
        return;
      }
      open.delete(event.requestId);
      say({ event: event.requestId, key: message.key.toString('utf8'), subjectKey: event.subjectKey,
        systems: event.systems, partition });
      for (const system of event.systems) {
        const callback = {
          eventId: crypto.randomUUID(), requestId: event.requestId, system, at: Date.now(),
          actor: `partner:${system}`, outcome: 'DONE', itemsErased: 1, detail: `erased by ${PARTNER}`,
          legalBasis: null,
        };
        await producer.send({ topic: 'erasure.callbacks', messages: [{
          key: await key(ids.callbackKey, event.requestId),
          value: await registry.encode(ids.callback, callback),
        }] });
      }
      say({ answered: event.requestId, systems: event.systems });
      if (open.size === 0) {
        finish();
      }
    },
  });

  for (const requestId of IDS) {
    const userId = `u-${PARTNER}-${crypto.randomUUID()}`;
    open.add(requestId);
    const request = {
      requestId, subject: { namespace: 'user_id', value: userId }, identifiers: [], jurisdiction: 'GDPR',
      reason: 'account_deleted', source: PARTNER, scope: null, objects: [], graceDays: 0,
      requestedAt: Date.now(), submittedBy: PARTNER, fingerprint: null,
    };
    const [written] = await producer.send({ topic: 'erasure.requests', messages: [{
      key: await key(ids.requestKey, requestId),
      value: await registry.encode(ids.request, request),
    }] });
    say({ filed: requestId, userId, partition: written.partition });
  }

  const timeout = new Promise((_, reject) => setTimeout(
    () => reject(new Error(`no erasure event for ${[...open].join(', ')} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS));
  try {
    await Promise.race([finished, timeout]);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`${PARTNER} failed: ${error.stack || error}\n`);
  process.exit(1);
});
