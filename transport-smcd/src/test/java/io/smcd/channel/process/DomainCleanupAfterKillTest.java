package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdSocketChannel;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server process is SIGKILLed while it holds reused buffers: it has served a run of sequential connections (so
 * its link group with this JVM pools DMBs) and is streaming on several more. The client is then the domain's last
 * live member. Its channels must close with an {@link IOException}, and when its group shuts down it must sweep
 * everything the dead server left (listener segment, intents, DMB files, member file) and remove the domain
 * directory, so that a crash leaves nothing in /dev/shm. Unlike the other process tests this one holds no domain of
 * its own in the test JVM: a member here would keep the directory alive.
 */
@Timeout(180)
class DomainCleanupAfterKillTest {
    private static final int SEQUENTIAL = 20;
    private static final int STREAMS = 4;
    private static final long KILL_AFTER = 8L << 20;

    @ParameterizedTest
    @EnumSource(value = SmcdMode.class, names = {"SMCD_LOOPBACK", "SMCD_COPY"})
    void theLastMemberRemovesWhatAKilledServerLeft(SmcdMode device) throws Exception {
        Path domain = Paths.get("/dev/shm", "smcd-test-" + UUID.randomUUID());
        try {
            try (ServerProcess server = ServerProcess.smcd(domain, "devices=" + device)) {
                EventLoopGroup group = Clients.group(2, domain);
                try {
                    for (int i = 0; i < SEQUENTIAL; i++) {
                        SmcdSocketChannel channel = PingExchange.run(group, SmcdSocketChannel.class, server, new byte[0]);
                        assertEquals(device, channel.mode(), "fallback " + channel.fallbackReason());
                    }
                    List<StreamingEchoClient> streams = new ArrayList<>();
                    for (int i = 0; i < STREAMS; i++) {
                        StreamingEchoClient stream = new StreamingEchoClient(Long.MAX_VALUE, KILL_AFTER, 0xD0D0L + i);
                        SmcdSocketChannel channel = (SmcdSocketChannel) Clients.smcd(group).handler(stream)
                                .connect(server.address()).sync().channel();
                        assertEquals(device, channel.mode(), "fallback " + channel.fallbackReason());
                        streams.add(stream);
                    }
                    for (StreamingEchoClient stream : streams) {
                        awaitOrFail(stream, stream.reached(), "stream stalled", server);
                    }
                    List<String> beforeKill = DomainFiles.list(domain);
                    long killed = System.nanoTime();
                    server.child().kill();
                    for (StreamingEchoClient stream : streams) {
                        awaitOrFail(stream, stream.closed(), "channel still open after its peer was SIGKILLed", server);
                        assertTrue(peerDeathSeen(stream), "closed without an IOException: " + stream.exceptionsCaught()
                                + ", write failures " + stream.writeFailures());
                    }
                    double closedMillis = (System.nanoTime() - killed) / 1e6;
                    long shutdown = System.nanoTime();
                    Clients.shutdown(group);
                    group = null;
                    double shutdownMillis = (System.nanoTime() - shutdown) / 1e6;
                    long removalStart = System.nanoTime();
                    DomainFiles.awaitRemoved(domain);
                    System.out.printf(Locale.ROOT, "server SIGKILL over %s: %d channels closed %.1f ms after the kill, group"
                            + " shut down in %.1f ms, domain gone %.1f ms later; before the kill it held %s%n", device, STREAMS,
                            closedMillis, shutdownMillis, (System.nanoTime() - removalStart) / 1e6, beforeKill);
                    assertTrue(beforeKill.stream().anyMatch(f -> f.startsWith("listener-")), "the server listened: " + beforeKill);
                } finally {
                    if (group != null) {
                        Clients.shutdown(group);
                    }
                }
            }
        } finally {
            DomainFiles.removeQuietly(domain);
        }
    }

    private static void awaitOrFail(StreamingEchoClient stream, Future<Void> future, String what,
            ServerProcess server) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": " + stream + "\nchild stderr:\n" + server.stderr(), e);
        }
    }

    private static boolean peerDeathSeen(StreamingEchoClient stream) {
        return Stream.concat(stream.exceptionsCaught().stream(), stream.writeFailures().stream())
                .anyMatch(t -> t instanceof IOException && !(t instanceof ClosedChannelException));
    }
}
