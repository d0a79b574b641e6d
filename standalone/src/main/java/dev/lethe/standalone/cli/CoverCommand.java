package dev.lethe.standalone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.RequestStatus;
import dev.lethe.schemas.Topics;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lethe cover --system NAME}: a system registered after erasures happened gets the past
 * erasures in its namespaces. The past erasures are the compacted {@code erasure.dataset} (the latest
 * erasure of each subject, with its namespaces and jurisdiction, read from Kafka up to its end when
 * the command starts); those the system's registration (read from the gateway) holds and that did
 * not target it get a new obligation through {@code POST …/systems/NAME/cover}. The ledger checks
 * the match again, against the request's scope too.
 */
@Command(name = "cover", description = "Send the past erasures in a system's namespaces to that system, registered "
        + "after they happened (audited COVERED, tracked and chased).")
final class CoverCommand implements Callable<Integer> {

    @ParentCommand
    LetheCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--system", required = true, paramLabel = "NAME", description = "the system registered later")
    String system;

    @Option(names = "--dry-run", description = "only list what would be sent")
    boolean dryRun;

    @Override
    public Integer call() {
        final Api api = connection.api(root.environment());
        final Api.Answer registration = api.get("/v1/systems/" + Obligations.encode(system));
        if (!registration.ok()) {
            throw new IllegalStateException("GET /v1/systems/" + system + " answered " + registration.problem());
        }
        final Set<String> namespaces = texts(registration.body().path("namespaces"));
        final Set<String> jurisdictions = texts(registration.body().path("jurisdictions"));
        final Map<String, ErasureRecord> latest = new LinkedHashMap<>();
        final TopicReads topics = connection.topics(root.environment());
        final Progress[] progress = new Progress[1];
        topics.read(Topics.DATASET, topics.serdes().record().deserializer(), new TopicReads.Reader<>() {
            @Override
            public void start(TopicReads.Point at) {
                progress[0] = new Progress(spec.commandLine().getErr(), "cover: read", at.span());
            }

            @Override
            public void record(ConsumerRecord<String, ErasureRecord> record) {
                if (record.value() == null) {
                    latest.remove(record.key());
                } else {
                    latest.put(record.key(), record.value());
                }
            }

            @Override
            public void advanced(long offsets) {
                progress[0].add(offsets);
            }
        });
        progress[0].done();
        final List<Obligations.Candidate> candidates = latest.values().stream()
                .filter(r -> r.getStatus() == RequestStatus.COMPLETED
                        || r.getStatus() == RequestStatus.COMPLETED_WITH_EXCEPTIONS)
                .filter(r -> jurisdictions.isEmpty() || jurisdictions.contains(r.getJurisdiction()))
                .filter(r -> r.getSystems().stream().noneMatch(s -> s.getName().equals(system)))
                .filter(r -> r.getNamespaces().stream().anyMatch(namespaces::contains))
                .map(r -> new Obligations.Candidate(r.getRequestId(), r.getFinishedAt().toString(),
                        "namespaces " + String.join(",", r.getNamespaces()) + ", " + r.getJurisdiction()))
                .toList();
        return Obligations.file(api, "cover", system, null, candidates, dryRun, spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    private static Set<String> texts(JsonNode array) {
        final Set<String> values = new HashSet<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
