package dev.lethe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/helm/lethe, rendered as {@code helm template} would (helm-java: helm's own code, bundled
 * as a native library) and validated against the Kubernetes API like the plain manifests.
 */
class HelmChartTest {

    private static final Path CHART = KubernetesSchemas.MODULE.resolve("helm/lethe");
    private final KubernetesSchemas schemas = new KubernetesSchemas();

    @Test
    void shouldRenderObjectsThatValidateAgainstTheKubernetesApi() {
        final List<String> problems = new ArrayList<>();
        for (JsonNode manifest : render(Set.of())) {
            problems.addAll(schemas.violations("helm template", manifest));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldRenderTheSameObjectsAsThePlainManifests() throws IOException {
        final Set<String> rendered = new TreeSet<>();
        render(Set.of()).forEach(manifest -> rendered.add(kindAndName(manifest)));
        final Set<String> plain = new TreeSet<>();
        try (Stream<Path> files = Files.list(KubernetesSchemas.MODULE.resolve("kubernetes"))) {
            files.filter(file -> !file.getFileName().toString().equals("kustomization.yaml"))
                    .flatMap(file -> KubernetesSchemas.documents(KubernetesSchemas.read(file)).stream())
                    .forEach(manifest -> plain.add(kindAndName(manifest)));
        }
        assertEquals(plain, rendered);
    }

    @Test
    void shouldListEveryLedgerPodInTheGatewaysLedgerUrls() {
        final List<JsonNode> rendered = render(Set.of("ledger.replicas=4"));
        final JsonNode gateway = find(rendered, "Deployment");
        final JsonNode ledger = find(rendered, "StatefulSet");

        assertEquals(4, ledger.path("spec").path("replicas").asInt());
        assertEquals("http://lethe-ledger-0.lethe-ledger-headless:8082,http://lethe-ledger-1.lethe-ledger-headless:8082,"
                        + "http://lethe-ledger-2.lethe-ledger-headless:8082,http://lethe-ledger-3.lethe-ledger-headless:8082",
                ManifestsTest.env(gateway.path("spec").path("template").path("spec").path("containers").get(0),
                        "LETHE_LEDGER_URL"));
    }

    @Test
    void shouldStillValidateWithAStorageClassAndExtraEnvironment() {
        final List<JsonNode> rendered = render(Set.of("ledger.storage.storageClassName=fast-ssd",
                "ledger.extraEnv[0].name=LETHE_STREAM_THREADS", "ledger.extraEnv[0].value=2"));
        final List<String> problems = new ArrayList<>();
        rendered.forEach(manifest -> problems.addAll(schemas.violations("helm template --set", manifest)));

        assertEquals(List.of(), problems);
        assertEquals("fast-ssd", find(rendered, "StatefulSet").path("spec").path("volumeClaimTemplates").get(0)
                .path("spec").path("storageClassName").asText());
        assertEquals("2", ManifestsTest.env(find(rendered, "StatefulSet").path("spec").path("template").path("spec")
                .path("containers").get(0), "LETHE_STREAM_THREADS"));
    }

    @Test
    void shouldMountOneOpenDsrSigningPairAndSetThePortalHostsWhenGiven() {
        final List<JsonNode> rendered = render(Set.of("opendsr.portalHosts=portal.example.com",
                "opendsr.domain=lethe.acme.test"));

        ManifestsTest.assertSharedOpenDsrPair(find(rendered, "StatefulSet"));
        ManifestsTest.assertSharedOpenDsrPair(find(rendered, "Deployment"));
        final JsonNode config = find(rendered, "ConfigMap").path("data");
        assertEquals("portal.example.com", config.path("LETHE_OPENDSR_PORTAL_HOSTS").asText());
        assertEquals("lethe.acme.test", config.path("LETHE_OPENDSR_DOMAIN").asText());
        assertEquals(false, find(render(Set.of()), "ConfigMap").path("data").has("LETHE_OPENDSR_PORTAL_HOSTS"),
                "no portal host by default: Lethe calls no portal back");
    }

    @Test
    void shouldNeedNoOpenDsrKeyInTheRequiredSecretWhenUpgradingWithoutOpenDsr() {
        final List<JsonNode> defaults = render(Set.of());
        final List<JsonNode> named = render(Set.of("opendsr.secretName=acme-opendsr"));

        for (String kind : List.of("StatefulSet", "Deployment")) {
            ManifestsTest.assertSharedOpenDsrPair(find(defaults, kind));
            assertEquals(true, ManifestsTest.stream(find(named, kind).path("spec").path("template").path("spec")
                    .path("volumes")).anyMatch(v -> v.path("secret").path("secretName").asText().equals("acme-opendsr")),
                    kind);
        }
    }

    private static List<JsonNode> render(Set<String> values) {
        var template = new Helm(CHART).template().withName("lethe").withKubeVersion(KubernetesSchemas.VERSION + ".0");
        for (String value : values) {
            final int equals = value.indexOf('=');
            template = template.set(value.substring(0, equals), value.substring(equals + 1));
        }
        final String yaml = template.call();
        assertNotNull(yaml);
        return KubernetesSchemas.documents(yaml);
    }

    private static JsonNode find(List<JsonNode> manifests, String kind) {
        return manifests.stream().filter(manifest -> manifest.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    private static String kindAndName(JsonNode manifest) {
        return manifest.path("kind").asText() + "/" + manifest.path("metadata").path("name").asText();
    }
}
