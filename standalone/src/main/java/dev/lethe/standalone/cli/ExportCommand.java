package dev.lethe.standalone.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.SystemOutcome;
import dev.lethe.schemas.Topics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lethe export dataset}: the compacted {@code erasure.dataset} (the latest finished erasure
 * of each subject, keyed by subject key, never an identifier) as a file for offline jobs: an Avro
 * object container file with the {@code ErasureRecord} schema (any Avro reader reads it), CSV or
 * NDJSON. It reads the topic straight from Kafka up to the end offsets captured when it starts, so
 * the file is consistent to that stated point (printed, and kept in the Avro file's metadata as
 * {@code lethe.dataset.offsets}); a subject's later record before that point replaces an earlier one,
 * as compaction would. The file is written beside its final name and moved there when complete.
 */
@Command(name = "export", description = "Export Lethe's data for offline jobs.", subcommands = ExportCommand.Dataset.class)
final class ExportCommand {

    /** The Avro file's metadata entry that states the point in the topic it is consistent to. */
    static final String OFFSETS_METADATA = "lethe.dataset.offsets";

    @ParentCommand
    LetheCommand root;

    enum Format { avro, csv, ndjson }

    @Command(name = "dataset", description = "The erasure dataset (erasure.dataset: the latest erasure of each "
            + "subject, by subject key) as Avro, CSV or NDJSON, consistent to the topic's end when it starts.")
    static final class Dataset implements Callable<Integer> {

        @ParentCommand
        ExportCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--format", required = true, paramLabel = "avro|csv|ndjson", description = "avro, csv or ndjson")
        Format format;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "the file to write")
        Path out;

        @Option(names = "--since", paramLabel = "TIME", description = "only erasures finished at or after TIME "
                + "(RFC 3339, e.g. 2026-01-01T00:00:00Z)")
        Instant since;

        @Option(names = "--jurisdiction", paramLabel = "J", description = "only erasures under this jurisdiction")
        String jurisdiction;

        @Override
        public Integer call() throws IOException {
            final PrintWriter err = spec.commandLine().getErr();
            final TopicReads topics = connection.topics(parent.root.environment());
            final Map<String, ErasureRecord> latest = new LinkedHashMap<>();
            final Progress[] progress = new Progress[1];
            final TopicReads.Point point = topics.read(Topics.DATASET, topics.serdes().record().deserializer(),
                    new TopicReads.Reader<>() {
                        @Override
                        public void start(TopicReads.Point at) {
                            progress[0] = new Progress(err, "export: read", at.span());
                        }

                        @Override
                        public void record(ConsumerRecord<String, ErasureRecord> record) {
                            if (record.value() == null) {
                                latest.remove(record.key());
                            } else {
                                latest.remove(record.key()); // a later record moves to the end, as it would in the topic
                                latest.put(record.key(), record.value());
                            }
                        }

                        @Override
                        public void advanced(long offsets) {
                            progress[0].add(offsets);
                        }
                    });
            progress[0].done();
            final List<ErasureRecord> chosen = latest.values().stream().filter(this::wanted).toList();
            final Path temp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".part");
            switch (format) {
                case avro -> writeAvro(temp, chosen, point);
                case csv -> writeText(temp, chosen, true);
                case ndjson -> writeText(temp, chosen, false);
            }
            Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            final PrintWriter stdout = spec.commandLine().getOut();
            stdout.println("export: " + chosen.size() + " erasure records of " + latest.size() + " subjects to " + out
                    + " (" + format + "), consistent to " + point);
            stdout.flush();
            return 0;
        }

        private boolean wanted(ErasureRecord r) {
            return (since == null || !r.getFinishedAt().isBefore(since))
                    && (jurisdiction == null || jurisdiction.equals(r.getJurisdiction()));
        }

        private static void writeAvro(Path file, List<ErasureRecord> records, TopicReads.Point point) throws IOException {
            try (DataFileWriter<ErasureRecord> writer = new DataFileWriter<>(
                    new SpecificDatumWriter<>(ErasureRecord.class))) {
                writer.setCodec(CodecFactory.deflateCodec(6));
                writer.setMeta(OFFSETS_METADATA, point.toString());
                writer.create(ErasureRecord.getClassSchema(), file.toFile());
                for (ErasureRecord record : records) {
                    writer.append(record);
                }
            }
        }

        private static void writeText(Path file, List<ErasureRecord> records, boolean csv) throws IOException {
            try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                if (csv) {
                    writer.write(Csv.line(Arrays.asList("subjectKey", "requestId", "status", "jurisdiction",
                            "namespaces", "requestedAt", "finishedAt", "systems")));
                    writer.newLine();
                }
                for (ErasureRecord r : records) {
                    writer.write(csv ? csvLine(r) : Api.write(json(r)));
                    writer.newLine();
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        /** {@code systems} as {@code name:status:itemsErased} joined by {@code ;} (itemsErased blank when unknown). */
        private static String csvLine(ErasureRecord r) {
            return Csv.line(Arrays.asList(r.getSubjectKey(), r.getRequestId(), r.getStatus().name(),
                    r.getJurisdiction(), String.join(";", r.getNamespaces()), r.getRequestedAt().toString(),
                    r.getFinishedAt().toString(), r.getSystems().stream()
                            .map(s -> s.getName() + ":" + s.getStatus() + ":"
                                    + (s.getItemsErased() == null ? "" : s.getItemsErased()))
                            .collect(Collectors.joining(";"))));
        }

        private static ObjectNode json(ErasureRecord r) {
            final ObjectNode node = Api.JSON.createObjectNode();
            node.put("subjectKey", r.getSubjectKey()).put("requestId", r.getRequestId())
                    .put("status", r.getStatus().name()).put("jurisdiction", r.getJurisdiction());
            final ArrayNode namespaces = node.putArray("namespaces");
            r.getNamespaces().forEach(namespaces::add);
            node.put("requestedAt", r.getRequestedAt().toString()).put("finishedAt", r.getFinishedAt().toString());
            final ArrayNode systems = node.putArray("systems");
            for (SystemOutcome s : r.getSystems()) {
                final ObjectNode system = systems.addObject().put("name", s.getName())
                        .put("status", s.getStatus().name()).put("at", s.getAt().toString());
                if (s.getItemsErased() == null) {
                    system.putNull("itemsErased");
                } else {
                    system.put("itemsErased", s.getItemsErased());
                }
            }
            return node;
        }
    }
}
