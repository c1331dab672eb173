package io.smcd.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import io.smcd.sim.testing.TestDomain;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator's choice of target: the SMC-D device of smcd connections and a Unix domain socket instead of
 * host and port, each against a server of its own that is stopped (and its domain removed) at the end of the test.
 */
class LoadGeneratorTargetsTest {
    @Test
    void flagsNameTheDevicesAndTheUnixSocket() {
        HttpLoadGenerator.Options options = HttpLoadGenerator.parse(new String[] {"--transport", "nio",
                "--smcd-devices", "copy", "--unix-socket", "/tmp/http.sock", "http://localhost/hello"});
        assertEquals(List.of(SmcdMode.SMCD_COPY), options.smcdDevices);
        assertEquals(Paths.get("/tmp/http.sock"), options.unixSocket);
        assertEquals("http://localhost/hello via unix:/tmp/http.sock", options.target());
        assertEquals(UnixDomainSocketAddress.of("/tmp/http.sock"), options.remoteAddress(NioDomainSocketChannel.class));
        assertEquals(List.of(SmcdMode.SMCD_LOOPBACK, SmcdMode.SMCD_COPY),
                HttpLoadGenerator.parse(new String[] {"--smcd-devices=loopback,copy"}).smcdDevices);
        HttpLoadGenerator.Options plain = HttpLoadGenerator.parse(new String[0]);
        assertNull(plain.smcdDevices);
        assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 8080), plain.remoteAddress(SmcdSocketChannel.class));
        assertThrows(IllegalArgumentException.class, () -> HttpLoadGenerator.parse(new String[] {"--smcd-devices", "rdma"}));
        assertThrows(IllegalArgumentException.class, () -> new HttpLoadGenerator.Options().smcdDevices(List.of(SmcdMode.TCP)));
        assertThrows(IllegalArgumentException.class,
                () -> new HttpLoadGenerator.Options().smcdDevices(List.of(SmcdMode.SMCD_COPY, SmcdMode.SMCD_COPY)));
        assertThrows(IllegalArgumentException.class, () -> Transport.SMCD.domainSocketChannelClass());
    }

    @Test
    void smcdConnectionsUseTheDeviceTheyAreGiven() throws Exception {
        try (TestDomain domain = TestDomain.create()) {
            SmcdIoHandlerConfig config = new SmcdIoHandlerConfig().setDomainDirectory(domain.directory());
            EventLoopGroup servers = new SmcdEventLoopGroup(1, config);
            EventLoopGroup clients = new SmcdEventLoopGroup(1, config);
            try {
                Channel server = HttpServer.bind(servers, SmcdServerSocketChannel.class, new InetSocketAddress("127.0.0.1", 0), null);
                int port = ((InetSocketAddress) server.localAddress()).getPort();
                for (SmcdMode device : List.of(SmcdMode.SMCD_COPY, SmcdMode.SMCD_LOOPBACK)) {
                    HttpLoadGenerator.Result result = HttpLoadGenerator.run(new HttpLoadGenerator.Options()
                            .group(clients, SmcdSocketChannel.class).port(port).smcdDevices(List.of(device))
                            .connections(2).maxRequests(100).duration(Duration.ofSeconds(60)));
                    assertEquals(100, result.requests(), result.format());
                    assertEquals(Map.of("SMC-D (" + device + ")", 2), result.modes(), result.format());
                }
                server.close().sync();
            } finally {
                shutDown(clients, servers);
            }
            assertEquals(List.of(), domain.leftoverFiles());
        }
    }

    @Test
    void unixSocketsCarryTheRequests(@TempDir Path directory) throws Exception {
        Path socket = directory.resolve("http.sock");
        EventLoopGroup servers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = HttpServer.bind(servers, NioServerDomainSocketChannel.class, UnixDomainSocketAddress.of(socket), null);
            HttpLoadGenerator.Result result = HttpLoadGenerator.run(new HttpLoadGenerator.Options()
                    .transport("nio").threads(1).unixSocket(socket).path("/bytes?size=5000")
                    .connections(2).maxRequests(100).duration(Duration.ofSeconds(60)));
            assertEquals(100, result.requests(), result.format());
            assertEquals(0, result.socketErrors(), result.format());
            assertTrue(result.bytesRead() >= 100 * 5000, result.format());
            assertEquals(Map.of("UDS (nio)", 2), result.modes());
            assertTrue(result.toString().contains("via unix:" + socket), result.toString());
            server.close().sync();
        } finally {
            shutDown(servers);
        }
        Files.deleteIfExists(socket);
        assertFalse(Files.exists(socket));
    }

    private static void shutDown(EventLoopGroup... groups) {
        for (EventLoopGroup group : groups) {
            assertTrue(group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS));
        }
    }
}
