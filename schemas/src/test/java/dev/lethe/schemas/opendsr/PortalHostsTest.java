package dev.lethe.schemas.opendsr;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PortalHostsTest {

    private final PortalHosts hosts = new PortalHosts(Set.of("portal.example", " Localhost ", "127.0.0.1"));

    @Test
    void shouldAllowHttpsToAnAllowedHostAndHttpOnlyToALoopbackOne() {
        assertNull(hosts.refusal("https://portal.example/opendsr/callbacks"));
        assertNull(hosts.refusal("https://PORTAL.example:8443/cb"));
        assertNull(hosts.refusal("http://localhost:8080/cb"));
        assertNull(hosts.refusal("http://127.0.0.1:9/cb"));
    }

    @Test
    void refusesHostsOffTheListPlainHttpUserInfoAndNonUrls() {
        assertTrue(hosts.refusal("https://evil.example/cb").contains("not in LETHE_OPENDSR_PORTAL_HOSTS"));
        assertTrue(hosts.refusal("http://portal.example/cb").contains("https"));
        assertTrue(hosts.refusal("https://user@portal.example/cb").contains("user info"));
        assertTrue(hosts.refusal("ftp://portal.example/cb").contains("https"));
        assertTrue(hosts.refusal("/relative").contains("absolute"));
        assertTrue(hosts.refusal("https://[::1/").startsWith("not a URL"));
    }

    @Test
    void refusesEveryUrlWhileNoHostIsAllowedAndSaysWhichSettingToSet() {
        assertTrue(PortalHosts.none().refusal("https://portal.example/cb").contains("LETHE_OPENDSR_PORTAL_HOSTS"));
    }

    @Test
    void shouldAllowAnIpv6LoopbackListedWithOrWithoutBrackets() {
        for (String listed : Set.of("::1", "[::1]")) {
            final PortalHosts ipv6 = new PortalHosts(Set.of(listed));

            assertNull(ipv6.refusal("http://[::1]:8080/cb"), listed);
        }
    }

    @Test
    void shouldTreatOnlyLocalhostAndLoopbackLiteralsAsLoopback() {
        assertTrue(PortalHosts.loopback("::1"));
        assertTrue(PortalHosts.loopback("[::1]"));
        assertTrue(PortalHosts.loopback("127.0.0.2"));
        assertTrue(PortalHosts.loopback("localhost"));
        org.junit.jupiter.api.Assertions.assertFalse(PortalHosts.loopback("cafe"), "a name, never looked up");
        org.junit.jupiter.api.Assertions.assertFalse(PortalHosts.loopback("127"));
    }
}
