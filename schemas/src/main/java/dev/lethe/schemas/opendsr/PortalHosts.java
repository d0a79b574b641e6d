package dev.lethe.schemas.opendsr;

import dev.lethe.schemas.config.Env;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hosts Lethe may call back ({@code LETHE_OPENDSR_PORTAL_HOSTS}, comma-separated host names,
 * empty by default): a portal's {@code status_callback_urls} must each name one of them, over
 * {@code https} unless the host is loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}).
 * Lethe never POSTs to a URL a submitter names without this check (no server-side request forgery).
 */
public record PortalHosts(Set<String> hosts) {

    public static final String VARIABLE = "LETHE_OPENDSR_PORTAL_HOSTS";

    public PortalHosts {
        hosts = hosts.stream().map(h -> bare(h.trim().toLowerCase(Locale.ROOT))).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public static PortalHosts read(Env env) {
        return new PortalHosts(Set.copyOf(env.list(VARIABLE, List.of())));
    }

    public static PortalHosts none() {
        return new PortalHosts(Set.of());
    }

    /** Why Lethe must not call {@code url}, or null when it may. */
    public String refusal(String url) {
        if (hosts.isEmpty()) {
            return "Lethe calls back no portal until its host is allowed: set " + VARIABLE
                    + " (comma-separated host names)";
        }
        final URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "not a URL: " + e.getReason();
        }
        final String host = uri.getHost() == null ? null : bare(uri.getHost().toLowerCase(Locale.ROOT));
        if (!uri.isAbsolute() || host == null || uri.getRawUserInfo() != null) {
            return "must be an absolute http(s) URL with a host and no user info";
        }
        if (!hosts.contains(host)) {
            return "host " + host + " is not in " + VARIABLE;
        }
        final String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !("http".equals(scheme) && loopback(host))) {
            return "must use https (http only for a loopback host)";
        }
        return null;
    }

    /** {@code host} without the brackets of an IPv6 literal ({@code [::1]} is {@code ::1}). */
    private static String bare(String host) {
        return host.length() > 1 && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
                : host;
    }

    /**
     * Whether {@code host} is {@code localhost} or a loopback address literal. Only a literal is
     * parsed (an IPv4 dotted quad, or an IPv6 address, which has a colon): a name such as
     * {@code cafe} is never looked up.
     */
    static boolean loopback(String host) {
        if ("localhost".equals(host)) {
            return true;
        }
        final String literal = bare(host);
        if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*")) {
            return false; // a name other than localhost is not resolved here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
