package io.smcd.sim.conn;

import io.smcd.sim.IsmDevice;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdDomain;
import io.smcd.sim.clc.ClcProposal;
import io.smcd.sim.lgr.AttachedDmb;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.lgr.OwnedDmb;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The child side of the two-process tests, run through {@code ChildJvm}. Arguments are {@code key=value}:
 * {@code domain}, {@code device}, {@code ring} (its RMB), {@code mode} ({@code transfer} or {@code hold}),
 * and for a transfer {@code send}, {@code receive} (-1: unknown, read until end of stream),
 * {@code sendSeed}, {@code receiveSeed}, {@code verify}, {@code writeSizes}, {@code readSizes},
 * {@code timeoutSeconds}.
 *
 * <p>Protocol on stdout/stdin, one line each: the child prints {@code RMB <token hex> <ring size> <generation>}
 * (its RMB leased from the link group with its parent); in
 * {@code hold} mode it then waits for end of stdin (the parent kills it first). In {@code transfer} mode
 * the parent answers {@code PEER <token hex> <ring size> <generation>}; the child leases (attaches) it, prints
 * {@code READY},
 * streams both ways with one thread and prints
 * {@code DONE <sent> <sent crc> <received> <received crc> <nanos>}, then closes everything and exits 0.
 * On failure it prints {@code FAIL <message>}, a stack trace to stderr, and exits 1.
 */
public final class ConnectionPeerMain {
    private ConnectionPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int status = 0;
        try (SmcdDomain domain = SmcdDomain.open(Paths.get(options.get("domain")))) {
            run(options, domain, out, in);
        } catch (Throwable t) {
            out.println("FAIL " + t);
            t.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static void run(Map<String, String> options, SmcdDomain domain, PrintStream out, BufferedReader in) throws Exception {
        IsmDevice device = Devices.create(options.get("device"), domain);
        int ring = Integer.parseInt(options.get("ring"));
        ProcessIdentity parent = ProcessHandle.current().parent().flatMap(h -> ProcessIdentity.of(h.pid())).orElseThrow();
        try (LinkGroups linkGroups = new LinkGroups(domain)) {
            OwnedDmb rmb = linkGroups.leaseRmb(parent, ring);
            out.println("RMB " + Long.toHexString(rmb.dmb().token()) + " " + ring + " "
                    + ClcProposal.wireGeneration(rmb.generation()));
            if (options.get("mode").equals("hold")) {
                while (in.readLine() != null) {
                    // Only a kill is expected here; an ordinary end of stdin means the parent went away.
                }
                rmb.releaseUnused();
                return;
            }
            String[] peer = expect(in, "PEER").split(" ");
            AttachedDmb peerDmb;
            try {
                peerDmb = linkGroups.leasePeerDmb(Long.parseUnsignedLong(peer[0], 16), Integer.parseInt(peer[2]),
                        Integer.parseInt(peer[1]), parent, true);
            } catch (Exception e) {
                rmb.releaseUnused();
                throw e;
            }
            try (SmcdConnection connection = new SmcdConnection(device, rmb, peerDmb, linkGroups.sndbufs(), () -> { })) {
                StreamPump pump = new StreamPump(connection,
                        new StreamSender(connection, Long.parseLong(options.get("send")), Long.parseLong(options.get("sendSeed")),
                                SizeSequence.parse(options.get("writeSizes"))),
                        new StreamReceiver(connection, Long.parseLong(options.get("receive")),
                                Long.parseLong(options.get("receiveSeed")), Boolean.parseBoolean(options.get("verify")),
                                SizeSequence.parse(options.get("readSizes"))));
                out.println("READY");
                long start = System.nanoTime();
                pump.run(Duration.ofSeconds(Long.parseLong(options.get("timeoutSeconds"))));
                long nanos = System.nanoTime() - start;
                out.println("DONE " + pump.sender.sent() + " " + pump.sender.crc() + " " + pump.receiver.received() + " "
                        + pump.receiver.crc() + " " + nanos);
            }
        }
    }

    private static String expect(BufferedReader in, String command) throws Exception {
        String line = in.readLine();
        if (line == null || !line.startsWith(command + " ")) {
            throw new IllegalStateException("expected " + command + " from the parent, got " + line);
        }
        return line.substring(command.length() + 1);
    }
}
