package io.smcd.stat;

import io.smcd.sim.CdcCursor;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.stats.ConnectionRecord;
import io.smcd.sim.stats.ProcessStats;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The JSON form of {@code smcd-stat}: one object with the domain and its processes. Stateless. */
final class StatJson {
    private StatJson() {
    }

    static String render(Path directory, List<ProcessStats> processes, boolean smcdOnly, boolean withCounters,
            boolean zeroCounters) {
        StringBuilder b = new StringBuilder();
        b.append("{\"domain\":").append(string(directory.toString())).append(",\"processes\":[");
        for (int i = 0; i < processes.size(); i++) {
            ProcessStats p = processes.get(i);
            b.append(i == 0 ? "" : ",").append("{\"pid\":").append(p.owner().pid())
                    .append(",\"startMillis\":").append(p.owner().startMillis())
                    .append(",\"alive\":").append(p.alive())
                    .append(",\"publishedMillis\":").append(p.publishedMillis())
                    .append(",\"connectionsOpen\":").append(p.connectionsOpen())
                    .append(",\"connections\":[");
            boolean first = true;
            for (ConnectionRecord c : p.connections()) {
                if (smcdOnly && !c.isSmcd()) {
                    continue;
                }
                b.append(first ? "" : ",");
                first = false;
                connection(b, c);
            }
            b.append("]");
            if (withCounters) {
                b.append(",\"counters\":{");
                boolean firstCounter = true;
                for (Map.Entry<String, Long> e : p.counters().entrySet()) {
                    if (zeroCounters || e.getValue() != 0) {
                        b.append(firstCounter ? "" : ",").append(string(e.getKey())).append(':').append(e.getValue());
                        firstCounter = false;
                    }
                }
                b.append("}");
            }
            b.append("}");
        }
        return b.append("]}").toString();
    }

    private static void connection(StringBuilder b, ConnectionRecord c) {
        b.append("{\"role\":").append(string(c.role()))
                .append(",\"state\":").append(string(c.state()))
                .append(",\"mode\":").append(string(c.mode()))
                .append(",\"local\":").append(string(StatTable.address(c.local())))
                .append(",\"peer\":").append(string(StatTable.address(c.peer())))
                .append(",\"localReason\":").append(string(SmcdReason.name(c.localReason())))
                .append(",\"peerReason\":").append(string(SmcdReason.name(c.peerReason())))
                .append(",\"peerPid\":").append(c.peerPid())
                .append(",\"rmbToken\":").append(string(StatTable.hex(c.rmbToken())))
                .append(",\"rmbSize\":").append(c.rmbSize())
                .append(",\"peerDmbToken\":").append(string(StatTable.hex(c.peerDmbToken())))
                .append(",\"peerDmbSize\":").append(c.peerDmbSize())
                .append(",\"txProducer\":").append(string(CdcCursor.toString(c.txProducer())))
                .append(",\"txConsumer\":").append(string(CdcCursor.toString(c.txConsumer())))
                .append(",\"rxProducer\":").append(string(CdcCursor.toString(c.rxProducer())))
                .append(",\"rxConsumer\":").append(string(CdcCursor.toString(c.rxConsumer())))
                .append(",\"bytesSent\":").append(c.bytesSent())
                .append(",\"bytesReceived\":").append(c.bytesReceived())
                .append(",\"bytesQueuedSend\":").append(c.bytesQueuedSend())
                .append(",\"bytesQueuedReceive\":").append(c.bytesQueuedReceive())
                .append('}');
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append('"').toString();
    }
}
