package dev.lethe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes: every manifest validates against the Kubernetes API, and the pieces fit together. */
class ManifestsTest {

    private static final Path FOLDER = KubernetesSchemas.MODULE.resolve("kubernetes");
    private final KubernetesSchemas schemas = new KubernetesSchemas();

    @Test
    void shouldValidateEveryManifestAgainstTheKubernetesApi() throws IOException {
        final List<String> problems = new ArrayList<>();
        int objects = 0;
        for (Path file : manifestFiles()) {
            for (JsonNode manifest : KubernetesSchemas.documents(KubernetesSchemas.read(file))) {
                problems.addAll(schemas.violations(file.getFileName().toString(), manifest));
                objects++;
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(7, objects);
    }

    @Test
    void shouldListEveryManifestInTheKustomization() throws IOException {
        final JsonNode kustomization = KubernetesSchemas.documents(
                KubernetesSchemas.read(FOLDER.resolve("kustomization.yaml"))).get(0);
        final Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(resource -> listed.add(resource.asText()));
        final Set<String> present = manifestFiles().stream().map(file -> file.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(present, listed);
    }

    @Test
    void refusesAnUndeclaredFieldAWrongTypeAndAnUnknownKind() {
        final ObjectNode statefulSet = (ObjectNode) object("StatefulSet", "lethe-ledger").deepCopy();
        ((ObjectNode) statefulSet.path("spec")).put("replica", 3);
        final ObjectNode deployment = (ObjectNode) object("Deployment", "lethe-gateway").deepCopy();
        ((ObjectNode) deployment.path("spec")).put("replicas", "two");
        final ObjectNode pdb = (ObjectNode) object("PodDisruptionBudget", "lethe-ledger").deepCopy();
        pdb.put("apiVersion", "policy/v1beta1");

        assertFalse(schemas.violations("typo", statefulSet).isEmpty());
        assertFalse(schemas.violations("type", deployment).isEmpty());
        assertFalse(schemas.violations("removed API", pdb).isEmpty());
    }

    @Test
    void shouldAdvertiseEachLedgerPodByItsNameUnderTheHeadlessService() {
        final JsonNode ledger = object("StatefulSet", "lethe-ledger");
        final JsonNode headless = object("Service", ledger.path("spec").path("serviceName").asText());
        final JsonNode container = ledger.path("spec").path("template").path("spec").path("containers").get(0);

        assertEquals("None", headless.path("spec").path("clusterIP").asText());
        assertTrue(headless.path("spec").path("publishNotReadyAddresses").asBoolean());
        assertEquals("$(POD_NAME).lethe-ledger-headless.$(POD_NAMESPACE).svc.cluster.local",
                env(container, "LETHE_ADVERTISED_HOST"));
        assertEquals("$(POD_NAME)", env(container, "LETHE_INSTANCE_ID"));
        assertEquals("1", env(container, "LETHE_STANDBY_REPLICAS"));
        assertEquals("metadata.name", container.path("env").get(0).path("valueFrom").path("fieldRef")
                .path("fieldPath").asText());
    }

    @Test
    void shouldKeepTheLedgerStateOnAPersistentVolume() {
        final JsonNode ledger = object("StatefulSet", "lethe-ledger");
        final JsonNode container = ledger.path("spec").path("template").path("spec").path("containers").get(0);
        final String claim = ledger.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
        final String mounted = stream(container.path("volumeMounts"))
                .filter(mount -> mount.path("name").asText().equals(claim))
                .map(mount -> mount.path("mountPath").asText()).findFirst().orElse(null);

        assertEquals(env(container, "LETHE_STATE_DIR"), mounted);
    }

    @Test
    void shouldProbeLivenessApartFromReadinessOnBothServices() {
        for (JsonNode workload : List.of(object("StatefulSet", "lethe-ledger"), object("Deployment", "lethe-gateway"))) {
            final JsonNode container = workload.path("spec").path("template").path("spec").path("containers").get(0);
            assertEquals("/livez", container.path("livenessProbe").path("httpGet").path("path").asText());
            assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
            assertTrue(container.path("resources").path("requests").has("memory"));
            assertTrue(container.path("resources").path("limits").has("memory"));
        }
    }

    @Test
    void shouldCoverEachWorkloadWithADisruptionBudgetThatSelectsItsPods() {
        for (JsonNode workload : List.of(object("StatefulSet", "lethe-ledger"), object("Deployment", "lethe-gateway"))) {
            final JsonNode budget = object("PodDisruptionBudget", workload.path("metadata").path("name").asText());
            final JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
            budget.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(label ->
                    assertEquals(label.getValue().asText(), labels.path(label.getKey()).asText(), label.getKey()));
        }
    }

    @Test
    void shouldReadEverySecretFromTheKubernetesSecretAsFiles() {
        for (JsonNode workload : List.of(object("StatefulSet", "lethe-ledger"), object("Deployment", "lethe-gateway"))) {
            final JsonNode pod = workload.path("spec").path("template").path("spec");
            final JsonNode container = pod.path("containers").get(0);
            final JsonNode secret = stream(pod.path("volumes")).filter(volume -> volume.has("secret")).findFirst()
                    .orElseThrow().path("secret");
            assertEquals("lethe-secrets", secret.path("secretName").asText());
            assertTrue(env(container, "LETHE_PSEUDONYM_SECRET_FILE").startsWith("/run/secrets/lethe/"));
            assertTrue(env(container, "LETHE_INTERNAL_TOKEN_FILE").startsWith("/run/secrets/lethe/"));
            assertTrue(env(container, "LETHE_KEK_FILE").startsWith("/run/secrets/lethe/"),
                    "both services seal with the same key-encryption key (issue 12)");
            assertFalse(stream(container.path("env")).anyMatch(variable -> variable.path("name").asText()
                    .equals("LETHE_PSEUDONYM_SECRET")), "a secret's value never sits in the manifest");
        }
    }

    @Test
    void shouldMountOneOptionalOpenDsrSigningPairIntoEveryGatewayReplicaAndEveryLedger() {
        for (JsonNode workload : List.of(object("StatefulSet", "lethe-ledger"), object("Deployment", "lethe-gateway"))) {
            assertSharedOpenDsrPair(workload);
        }
        assertTrue(object("Deployment", "lethe-gateway").path("spec").path("replicas").asInt() > 1,
                "several replicas: hence one pair from the Secret, not one generated per pod");
        assertFalse(object("ConfigMap", "lethe-config").path("data").path("LETHE_OPENDSR_DOMAIN").asText().isBlank());
    }

    /**
     * {@code workload}'s container reads LETHE_OPENDSR_KEY_FILE and LETHE_OPENDSR_CERT_FILE from
     * the files of the keys opendsr-key and opendsr-cert of one Secret of their own, mounted
     * optional (an installation without OpenDSR needs no new Secret), while no required Secret
     * volume lists them (a Secret without them would stop every new pod).
     */
    static void assertSharedOpenDsrPair(JsonNode workload) {
        final JsonNode pod = workload.path("spec").path("template").path("spec");
        final JsonNode container = pod.path("containers").get(0);
        final String name = workload.path("kind").asText();
        final List<JsonNode> holding = stream(pod.path("volumes")).filter(v -> v.has("secret"))
                .filter(v -> stream(v.path("secret").path("items"))
                        .anyMatch(item -> item.path("key").asText().startsWith("opendsr-")))
                .toList();
        assertEquals(1, holding.size(), name + ": one Secret volume holds the pair");
        final JsonNode volume = holding.get(0);
        assertTrue(volume.path("secret").path("optional").asBoolean(), name + ": the pair's Secret is optional");
        assertFalse(volume.path("secret").path("secretName").asText().equals("lethe-secrets"), name);
        final String mount = stream(container.path("volumeMounts"))
                .filter(m -> m.path("name").asText().equals(volume.path("name").asText())).findFirst().orElseThrow()
                .path("mountPath").asText();
        final Set<String> paths = stream(volume.path("secret").path("items"))
                .map(item -> mount + "/" + item.path("path").asText()).collect(Collectors.toSet());
        assertEquals(Set.of(mount + "/opendsr-key", mount + "/opendsr-cert"), paths, name);
        assertEquals(mount + "/opendsr-key", env(container, "LETHE_OPENDSR_KEY_FILE"), name);
        assertEquals(mount + "/opendsr-cert", env(container, "LETHE_OPENDSR_CERT_FILE"), name);
    }

    static String env(JsonNode container, String name) {
        return stream(container.path("env")).filter(variable -> variable.path("name").asText().equals(name))
                .map(variable -> variable.path("value").asText()).findFirst().orElse(null);
    }

    static Stream<JsonNode> stream(JsonNode array) {
        final List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    private static JsonNode object(String kind, String name) {
        try {
            for (Path file : manifestFiles()) {
                for (JsonNode manifest : KubernetesSchemas.documents(KubernetesSchemas.read(file))) {
                    if (manifest.path("kind").asText().equals(kind) && manifest.path("metadata").path("name").asText().equals(name)) {
                        return manifest;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("no " + kind + " " + name + " in deploy/kubernetes");
    }

    private static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(file -> file.toString().endsWith(".yaml"))
                    .filter(file -> !file.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
    }
}
