package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.TestDomain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A mixed workload, round after round: {@value #CONNECTIONS} concurrent connections per round to an echo server in
 * another process, each over the loopback device, the copy device or TCP (SMC-D switched off), each streaming a
 * random amount in random chunks and ending cleanly, with a half-close, or with an abort mid-stream. Every byte of
 * every connection that is not aborted is checked (CRC32C of what was sent and of what came back). Between rounds,
 * once the server holds no connection, file descriptors, mappings (DMB ones too) and resident memory of both
 * processes and the files of the domain are sampled: after the warm-up they must stay flat. The curves are written
 * to {@code target/soak/soak.csv} and {@code soak.svg}. {@value #ROUNDS} rounds by default; the {@code faults-long}
 * profile multiplies them.
 */
@Timeout(1800)
class SoakTest {
    private static final int ROUNDS = 30;
    private static final int CONNECTIONS = 12;
    private static final int WARMUP_ROUNDS = 5;
    private static final int MAX_BYTES = 4 << 20;
    /** How much a resource may grow past its post-warm-up peak: pools fill up to the highest concurrency seen. */
    private static final long FD_SLACK = 16;
    private static final long MAPPING_SLACK = 32;
    private static final long DMB_SLACK = 8;
    private static final long FILE_SLACK = 4;

    /** How a connection ends. */
    enum Ending {
        CLEAN, HALF_CLOSE, ABORT
    }

    @Test
    void resourcesStayFlatUnderAMixedWorkload() throws Exception {
        int rounds = Math.max(FaultScale.times(ROUNDS), WARMUP_ROUNDS * 3);
        SplittableRandom random = new SplittableRandom(0x50A4L);
        List<long[]> samples = new ArrayList<>();
        Map<String, Integer> connections = new TreeMap<>();
        long verified = 0;
        try (TestDomain test = TestDomain.create();
                ServerProcess server = ServerProcess.smcd(test.directory(), "devices=SMCD_LOOPBACK,SMCD_COPY",
                        "threads=2")) {
            EventLoopGroup group = Clients.group(2, test.directory());
            try {
                for (int round = 0; round < rounds; round++) {
                    List<Flow> flows = new ArrayList<>();
                    for (int i = 0; i < CONNECTIONS; i++) {
                        flows.add(Flow.start(group, server, random));
                    }
                    for (Flow flow : flows) {
                        verified += flow.finish("round " + round);
                        connections.merge(flow.label(), 1, Integer::sum);
                    }
                    awaitServerIdle(server);
                    samples.add(sample(round, server, test.directory()));
                }
                server.quit();
            } finally {
                Clients.shutdown(group);
            }
        }
        Path out = Paths.get("target", "soak");
        ResourceChart.write(out, COLUMNS, samples);
        System.out.printf(Locale.ROOT, "soak: %d rounds, %d connections %s, %d bytes echoed and verified; resources per"
                + " round (%s) in %s%n", rounds, rounds * CONNECTIONS, connections, verified, String.join(",", COLUMNS),
                out.resolve("soak.csv").toAbsolutePath());
        assertFlat(samples);
    }

    private static final List<String> COLUMNS = List.of("round", "client_fds", "client_maps", "client_dmb_maps",
            "client_rss_kib", "server_fds", "server_maps", "server_dmb_maps", "server_rss_kib", "domain_files");

    private static long[] sample(int round, ServerProcess server, Path domain) throws Exception {
        ProcessResources client = ProcessResources.of(ProcessHandle.current().pid());
        ProcessResources peer = ProcessResources.of(server.child().pid());
        return new long[] {round, client.fds(), client.mappings(), client.dmbMappings(), client.rssKiB(), peer.fds(),
            peer.mappings(), peer.dmbMappings(), peer.rssKiB(), DomainFiles.list(domain).size()};
    }

    /** Every resource but memory: its peak over the last third of the rounds is at most its post-warm-up peak + slack. */
    private static void assertFlat(List<long[]> samples) {
        long[] slack = {0, FD_SLACK, MAPPING_SLACK, DMB_SLACK, -1, FD_SLACK, MAPPING_SLACK, DMB_SLACK, -1, FILE_SLACK};
        int lastThird = samples.size() - (samples.size() - WARMUP_ROUNDS) / 3;
        for (int column = 1; column < slack.length; column++) {
            if (slack[column] < 0) {
                continue;
            }
            long early = 0;
            long late = 0;
            for (int i = WARMUP_ROUNDS; i < samples.size(); i++) {
                if (i < lastThird) {
                    early = Math.max(early, samples.get(i)[column]);
                } else {
                    late = Math.max(late, samples.get(i)[column]);
                }
            }
            assertTrue(late <= early + slack[column], COLUMNS.get(column) + " grows: peak " + early
                    + " after the warm-up, " + late + " in the last third of the rounds");
        }
    }

    private static void awaitServerIdle(ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.stats().get("active") != 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the server still holds connections 30 s after the round: " + server.stats());
            }
            Thread.sleep(5);
        }
    }

    /** One connection of a round: its transport, its stream and how it ends. */
    private static final class Flow {
        private final SmcdMode mode;
        private final Ending ending;
        private final StreamingEchoClient stream;
        private final ChannelFuture connect;

        private Flow(SmcdMode mode, Ending ending, StreamingEchoClient stream, ChannelFuture connect) {
            this.mode = mode;
            this.ending = ending;
            this.stream = stream;
            this.connect = connect;
        }

        static Flow start(EventLoopGroup group, ServerProcess server, SplittableRandom random) {
            SmcdMode mode = SmcdMode.values()[random.nextInt(SmcdMode.values().length)];
            Ending ending = Ending.values()[random.nextInt(Ending.values().length)];
            long total = 1 + random.nextInt(MAX_BYTES);
            StreamingEchoClient stream = new StreamingEchoClient(total, ending == Ending.ABORT ? total / 2 : total,
                    random.nextLong());
            ChannelFuture connect = Clients.smcd(group)
                    .option(SmcdChannelOption.SMCD_ENABLED, mode != SmcdMode.TCP)
                    .option(SmcdChannelOption.SMCD_DEVICES, List.of(mode == SmcdMode.SMCD_COPY ? SmcdMode.SMCD_COPY
                            : SmcdMode.SMCD_LOOPBACK))
                    .handler(stream).connect(server.address());
            return new Flow(mode, ending, stream, connect);
        }

        String label() {
            return mode + "/" + ending;
        }

        /** Ends the flow as chosen; returns the bytes verified (0 for an abort). */
        long finish(String round) throws Exception {
            SmcdSocketChannel channel = (SmcdSocketChannel) connect.sync().channel();
            assertEquals(mode, channel.mode(), round + ": " + channel + ", fallback " + channel.fallbackReason());
            String what = round + " " + label() + " " + stream;
            switch (ending) {
                case ABORT:
                    stream.reached().get(60, TimeUnit.SECONDS);
                    channel.config().setOption(ChannelOption.SO_LINGER, 0);
                    channel.close().sync();
                    return 0;
                case HALF_CLOSE:
                    stream.done().get(60, TimeUnit.SECONDS);
                    ((SocketChannel) channel).shutdownOutput().sync();
                    stream.closed().get(60, TimeUnit.SECONDS);
                    break;
                default:
                    stream.done().get(60, TimeUnit.SECONDS);
                    channel.close().sync();
                    break;
            }
            assertEquals(List.of(), stream.exceptionsCaught(), what);
            assertEquals(stream.sentCrc(), stream.receivedCrc(), what + ": CRC32C of the echo");
            return stream.received();
        }
    }

    /** The samples as CSV and as one small SVG line chart per resource. */
    private static final class ResourceChart {
        private static final int WIDTH = 420;
        private static final int HEIGHT = 90;

        static void write(Path dir, List<String> columns, List<long[]> samples) throws Exception {
            Files.createDirectories(dir);
            StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
            for (long[] s : samples) {
                for (int i = 0; i < s.length; i++) {
                    csv.append(i == 0 ? "" : ",").append(s[i]);
                }
                csv.append('\n');
            }
            Files.writeString(dir.resolve("soak.csv"), csv, StandardCharsets.UTF_8);
            int panels = columns.size() - 1;
            StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                            + " font-size=\"11\">%n", WIDTH, panels * (HEIGHT + 20)));
            for (int c = 1; c < columns.size(); c++) {
                int top = (c - 1) * (HEIGHT + 20) + 14;
                long max = 1;
                for (long[] s : samples) {
                    max = Math.max(max, s[c]);
                }
                svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%s (0..%d) per round</text>%n", top - 2,
                        columns.get(c), max));
                svg.append("<polyline fill=\"none\" stroke=\"#1f77b4\" points=\"");
                for (int i = 0; i < samples.size(); i++) {
                    double x = 4 + (WIDTH - 8) * (samples.size() == 1 ? 0 : i / (double) (samples.size() - 1));
                    double y = top + HEIGHT - HEIGHT * samples.get(i)[c] / (double) max;
                    svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                }
                svg.append("\"/>\n");
            }
            Files.writeString(dir.resolve("soak.svg"), svg.append("</svg>\n"), StandardCharsets.UTF_8);
        }
    }
}
