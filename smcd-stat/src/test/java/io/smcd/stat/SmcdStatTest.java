package io.smcd.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.stats.StatsFiles;
import io.smcd.sim.testing.ChildJvm;
import io.smcd.sim.testing.TestDomain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code smcd-stat} over a live cross-process SMC-D connection and a fallback, read from the statistics files. */
class SmcdStatTest {
    @Test
    void showsTheSmcdConnectionWithItsDeviceAndTheFallbackWithItsReason() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            SmcdEventLoopGroup group = new SmcdEventLoopGroup(1, new SmcdIoHandlerConfig().setDomainDirectory(d.directory()));
            try (ChildJvm peer = ChildJvm.start(StatPeerMain.class, d.directory().toString())) {
                int port = Integer.parseInt(peer.expect("PORT ", Duration.ofSeconds(60)));
                Channel plain = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInboundHandlerAdapter()).bind("127.0.0.1", 0).sync().channel();
                SmcdSocketChannel smcd = connect(group, new InetSocketAddress("127.0.0.1", port));
                SmcdSocketChannel tcp = connect(group, (InetSocketAddress) plain.localAddress());
                assertEquals(SmcdMode.SMCD_LOOPBACK, smcd.mode());
                assertEquals(SmcdMode.TCP, tcp.mode());
                smcd.writeAndFlush(Unpooled.wrappedBuffer(new byte[1000])).sync();
                long self = ProcessIdentity.current().pid();
                d.awaitStatistics(s -> s.owner().pid() == self && s.connections().size() == 2
                        && s.counter("bytes{direction=received}") == 1000, Duration.ofSeconds(20));
                d.awaitStatistics(s -> s.owner().pid() == peer.pid() && s.connections().size() == 1, Duration.ofSeconds(20));

                String table = run("--domain", d.directory().toString());
                assertTrue(table.contains("2 processes"), table);
                assertTrue(table.matches("(?s).*\\n" + self + " +CLIENT +ACTIVE +127\\.0\\.0\\.1:\\d+ +127\\.0\\.0\\.1:" + port
                        + " +SMCD_LOOPBACK +- +1000 +1000\\n.*"), table);
                assertTrue(table.matches("(?s).*\\n" + peer.pid() + " +SERVER +ACTIVE +127\\.0\\.0\\.1:" + port
                        + " +127\\.0\\.0\\.1:\\d+ +SMCD_LOOPBACK .*"), table);
                assertTrue(table.matches("(?s).*\\n" + self + " +CLIENT +ACTIVE .* TCP +PEERNOSMC/NONE \\(the peer does not"
                        + " speak SMC-D\\).*"), table);

                String details = run("--domain", d.directory().toString(), "-d", "-c");
                assertFalse(details.contains("PEERNOSMC/NONE"), "-d lists SMC-D connections only: " + details);
                assertTrue(details.contains(StatTable.hex(smcd.statistics().connection().rmbToken())), details);
                assertTrue(details.contains("fallbacks{reason=PEERNOSMC,side=local}"), details);
                assertTrue(details.contains("connections.opened{mode=smcd-loopback,role=server}"), details);

                String json = run("--domain", d.directory().toString(), "--json", "-c");
                assertTrue(json.startsWith("{\"domain\":"), json);
                assertTrue(json.contains("\"mode\":\"SMCD_LOOPBACK\""), json);
                assertTrue(json.contains("\"localReason\":\"PEERNOSMC\""), json);
                assertTrue(json.contains("\"pid\":" + peer.pid()), json);

                String watched = run("--domain", d.directory().toString(), "--watch=0.05", "--iterations", "2");
                assertEquals(2, watched.split("2 processes", -1).length - 1, watched);

                peer.kill();
                String afterKill = run("--domain", d.directory().toString(), "-a");
                assertTrue(afterKill.matches("(?s).*\\n" + peer.pid() + " +dead .*"), afterKill);
                String pruned = run("--domain", d.directory().toString(), "--prune");
                assertTrue(pruned.startsWith("pruned 1 statistics file of dead processes"), pruned);
                assertTrue(pruned.contains("1 process\n"), pruned);
                assertEquals(List.of(self), StatsFiles.readAll(d.directory()).stream().map(s -> s.owner().pid()).toList());

                smcd.close().sync();
                tcp.close().sync();
                plain.close().sync();
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
            assertTrue(d.leftoverFiles().isEmpty(), d.leftoverFiles().toString());
        }
    }

    @Test
    void aDomainNobodyUsesShowsNoProcess() throws Exception {
        try (TestDomain d = TestDomain.create()) {
            assertTrue(run("--domain", d.directory().resolve("absent").toString()).contains(": 0 processes"));
            assertEquals("{\"domain\":\"" + d.directory().resolve("absent") + "\",\"processes\":[]}\n",
                    run("--domain", d.directory().resolve("absent").toString(), "--json"));
        }
    }

    private static SmcdSocketChannel connect(SmcdEventLoopGroup group, InetSocketAddress to) throws InterruptedException {
        return (SmcdSocketChannel) new Bootstrap().group(group).channel(SmcdSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(to).sync().channel();
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new CommandLine(new SmcdStat()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertEquals(0, status, err.toString());
        return out.toString();
    }

}
