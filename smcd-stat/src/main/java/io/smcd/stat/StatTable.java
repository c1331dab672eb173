package io.smcd.stat;

import io.smcd.sim.CdcCursor;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.stats.ConnectionRecord;
import io.smcd.sim.stats.ProcessStats;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The text form of {@code smcd-stat}: a process table, a connection table in smcss's manner, counters. Stateless. */
final class StatTable {
    private StatTable() {
    }

    static void render(PrintWriter out, Path directory, List<ProcessStats> processes, boolean smcdOnly,
            boolean withCounters, boolean zeroCounters) {
        out.println("domain " + directory + ": " + processes.size() + " process" + (processes.size() == 1 ? "" : "es"));
        if (processes.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PID", "STATE", "CONNS", "SMCD", "TCP", "FALLBACKS", "SENT", "RECEIVED", "PUBLISHED"});
        long now = System.currentTimeMillis();
        for (ProcessStats p : processes) {
            long smcd = p.connections().stream().filter(ConnectionRecord::isSmcd).count();
            rows.add(new String[] {Long.toString(p.owner().pid()), p.alive() ? "live" : "dead",
                Long.toString(p.connectionsOpen()), Long.toString(smcd), Long.toString(p.connections().size() - smcd),
                Long.toString(sum(p, "fallbacks{reason=", ",side=local}")), Long.toString(p.counter("bytes{direction=sent}")),
                Long.toString(p.counter("bytes{direction=received}")),
                p.publishedMillis() == 0 ? "never" : String.format("%.1fs ago", (now - p.publishedMillis()) / 1000.0)});
        }
        out.println();
        print(out, rows);

        rows = new ArrayList<>();
        rows.add(smcdOnly
                ? new String[] {"PID", "ROLE", "STATE", "LOCAL", "PEER", "MODE", "PEER-PID", "RMB", "RMB-SIZE", "PEER-DMB",
                    "DMB-SIZE", "TX-PROD", "TX-CONS", "RX-PROD", "RX-CONS", "SENT", "RECEIVED", "Q-SEND", "Q-RECV"}
                : new String[] {"PID", "ROLE", "STATE", "LOCAL", "PEER", "MODE", "FALLBACK (LOCAL/PEER)", "SENT",
                    "RECEIVED"});
        for (ProcessStats p : processes) {
            for (ConnectionRecord c : p.connections()) {
                if (smcdOnly && !c.isSmcd()) {
                    continue;
                }
                String pid = Long.toString(p.owner().pid());
                rows.add(smcdOnly
                        ? new String[] {pid, c.role(), c.state(), address(c.local()), address(c.peer()), c.mode(),
                            Long.toString(c.peerPid()), hex(c.rmbToken()), Integer.toString(c.rmbSize()),
                            hex(c.peerDmbToken()), Integer.toString(c.peerDmbSize()), CdcCursor.toString(c.txProducer()),
                            CdcCursor.toString(c.txConsumer()), CdcCursor.toString(c.rxProducer()),
                            CdcCursor.toString(c.rxConsumer()), Long.toString(c.bytesSent()),
                            Long.toString(c.bytesReceived()), Long.toString(c.bytesQueuedSend()),
                            Long.toString(c.bytesQueuedReceive())}
                        : new String[] {pid, c.role(), c.state(), address(c.local()), address(c.peer()), c.mode(),
                            c.isSmcd() ? "-" : reasons(c.localReason(), c.peerReason()),
                            c.isSmcd() ? Long.toString(c.bytesSent()) : "-",
                            c.isSmcd() ? Long.toString(c.bytesReceived()) : "-"});
            }
            long hidden = p.connectionsOpen() - p.connections().size();
            if (hidden > 0) {
                out.println("(" + pid(p) + ": " + hidden + " more connections than its file has slots for)");
            }
        }
        out.println();
        print(out, rows);

        if (withCounters) {
            for (ProcessStats p : processes) {
                out.println();
                out.println("counters of " + pid(p) + ":");
                for (Map.Entry<String, Long> e : p.counters().entrySet()) {
                    if (zeroCounters || e.getValue() != 0) {
                        out.printf("  %-52s %d%n", e.getKey(), e.getValue());
                    }
                }
            }
        }
    }

    /** {@code NAME/NAME} as smcss prints fallback reasons, with the local code's meaning. */
    static String reasons(int local, int peer) {
        return SmcdReason.name(local) + "/" + SmcdReason.name(peer) + " (" + SmcdReason.describe(
                local == SmcdReason.PEERDECL ? peer : local) + ")";
    }

    private static String pid(ProcessStats p) {
        return "pid " + p.owner().pid();
    }

    private static long sum(ProcessStats p, String prefix, String suffix) {
        return p.counters().entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getKey().endsWith(suffix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    static String address(InetSocketAddress a) {
        if (a == null) {
            return "-";
        }
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static String hex(long token) {
        return token == 0 ? "-" : String.format("%016x", token);
    }

    private static void print(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
