package io.smcd.sim.registry;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** What the registry accepts as an endpoint, how it names one in a file name, and which endpoints match. Stateless. */
final class Endpoints {
    private static final HexFormat HEX = HexFormat.of();
    private static final InetAddress IPV4_ANY = address(new byte[4]);
    private static final InetAddress IPV6_ANY = address(new byte[16]);

    private Endpoints() {
    }

    /** {@code <port>-<hex address bytes>}: the part of a record file name that names an endpoint. */
    static String key(InetAddress address, int port) {
        return port + "-" + HEX.formatHex(address.getAddress());
    }

    static String key(InetSocketAddress endpoint) {
        return key(endpoint.getAddress(), endpoint.getPort());
    }

    /**
     * Checks that {@code endpoint} is resolved, has a port, and, unless {@code wildcardAllowed}, a concrete
     * address; returns it without the host name, as it reads back from a record.
     */
    static InetSocketAddress require(String name, InetSocketAddress endpoint, boolean wildcardAllowed) {
        if (endpoint == null) {
            throw new IllegalArgumentException(name + "=null");
        }
        if (endpoint.isUnresolved()) {
            throw new IllegalArgumentException(name + "=" + endpoint + " is unresolved");
        }
        if (endpoint.getPort() == 0) {
            throw new IllegalArgumentException(name + ".port=0, expected the port actually bound or connected to");
        }
        if (!wildcardAllowed && endpoint.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException(name + "=" + endpoint + " is a wildcard address, expected the address the connection uses");
        }
        return new InetSocketAddress(address(endpoint.getAddress().getAddress()), endpoint.getPort());
    }

    /** Same address bytes and port; host names and IPv6 scopes play no part. */
    static boolean same(InetSocketAddress a, InetSocketAddress b) {
        return a.getPort() == b.getPort() && Arrays.equals(a.getAddress().getAddress(), b.getAddress().getAddress());
    }

    /**
     * Whether a connection that a client opened to {@code destination} can be the one a server accepted
     * on {@code acceptedLocal}: the same endpoint, or the same port when the client connected to a
     * wildcard address, which Linux delivers to a local address.
     */
    static boolean reaches(InetSocketAddress destination, InetSocketAddress acceptedLocal) {
        return same(destination, acceptedLocal)
                || (destination.getPort() == acceptedLocal.getPort() && destination.getAddress().isAnyLocalAddress());
    }

    /**
     * The addresses whose listener records can serve a connection to {@code destination}, in the order to
     * look them up: the destination itself, then the wildcards of both families, since a JDK socket bound
     * to either wildcard is dual-stack. Aliases (another loopback address, a host address for loopback)
     * are deliberately not matched: a client reaching a listener through one just uses TCP.
     */
    static List<InetAddress> listenerCandidates(InetAddress destination) {
        List<InetAddress> candidates = new ArrayList<>(3);
        candidates.add(destination);
        if (!destination.equals(IPV4_ANY)) {
            candidates.add(IPV4_ANY);
        }
        if (!destination.equals(IPV6_ANY)) {
            candidates.add(IPV6_ANY);
        }
        return candidates;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address length=" + bytes.length, e);
        }
    }
}
