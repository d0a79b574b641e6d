package dev.lethe.standalone.cli;

import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.topology.AuditChain;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lethe audit verify}: recomputes the hash chain of every request's audit trail (or one
 * request's) from {@code erasure.audit} itself, read straight from Kafka, so that it holds the
 * running services to account instead of trusting them. The bytes hashed are {@link AuditChain}'s;
 * the facts of one request are on one partition in order, so each trail is checked as it streams
 * by, holding only the last hash of each request. Exits non-zero when any chain is broken.
 */
@Command(name = "audit", description = "The audit trail.", subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    @ParentCommand
    LetheCommand root;

    @Command(name = "verify", description = "Recompute every request's audit hash chain (or one's) from "
            + "erasure.audit, straight from Kafka; exit status 1 on any break.")
    static final class Verify implements Callable<Integer> {

        @ParentCommand
        AuditCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--request", paramLabel = "ID", description = "only this request")
        String request;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final Chains chains = new Chains(request);
            final TopicReads topics = connection.topics(parent.root.environment());
            final Progress[] progress = new Progress[1];
            final TopicReads.Point point = topics.read(dev.lethe.schemas.Topics.AUDIT,
                    topics.serdes().audit().deserializer(), new TopicReads.Reader<>() {
                        @Override
                        public void start(TopicReads.Point at) {
                            progress[0] = new Progress(err, "audit verify", at.span());
                        }

                        @Override
                        public void record(ConsumerRecord<String, AuditFact> record) {
                            chains.add(record);
                        }

                        @Override
                        public void advanced(long offsets) {
                            progress[0].add(offsets);
                        }
                    });
            progress[0].done();
            final int requests = chains.heads.size();
            out.println("audit verify: " + chains.facts + " facts of " + requests
                    + (requests == 1 ? " request, " : " requests, ") + point + " (the end when the check started)");
            chains.breaks.forEach((id, problem) -> out.println("BROKEN  request " + id + ": " + problem));
            if (request != null && chains.heads.isEmpty()) {
                out.println("no audit fact of request " + request + " on " + dev.lethe.schemas.Topics.AUDIT);
                out.flush();
                return LetheCommand.FOUND_PROBLEMS;
            }
            out.println(chains.breaks.isEmpty() ? "every chain holds"
                    : chains.breaks.size() + " of " + chains.heads.size() + " chains are broken");
            out.flush();
            return chains.breaks.isEmpty() ? 0 : LetheCommand.FOUND_PROBLEMS;
        }
    }

    /** The trails seen so far: each request's last fact, and the first break of each broken one. */
    static final class Chains {
        private final String only;
        private final Map<String, AuditFact> heads = new HashMap<>();
        private final Map<String, String> breaks = new LinkedHashMap<>();
        private long facts;

        Chains(String only) {
            this.only = only;
        }

        void add(ConsumerRecord<String, AuditFact> record) {
            final AuditFact fact = record.value();
            if (fact == null || (only != null && !only.equals(fact.getRequestId()))) {
                return;
            }
            facts++;
            final String id = fact.getRequestId();
            final AuditFact before = heads.put(id, fact);
            if (breaks.containsKey(id)) {
                return;
            }
            final String problem = problem(before, fact);
            if (problem != null) {
                breaks.put(id, problem + " (partition " + record.partition() + ", offset " + record.offset() + ")");
            }
        }

        /** What is wrong with {@code fact} following {@code before} (null when it is the first), or null. */
        static String problem(AuditFact before, AuditFact fact) {
            final int expected = before == null ? 1 : before.getSeq() + 1;
            if (fact.getSeq() != expected) {
                return "fact " + expected + " expected, fact " + fact.getSeq() + " found";
            }
            final String prev = before == null ? null : before.getHash();
            if (!Objects.equals(prev, fact.getPrevHash())) {
                return "fact " + fact.getSeq() + " does not link to the fact before it";
            }
            if (fact.getHash() == null || !fact.getHash().equals(AuditChain.hash(fact))) {
                return "fact " + fact.getSeq() + " (" + fact.getType() + ") does not match its hash";
            }
            return null;
        }
    }
}
