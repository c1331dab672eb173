package io.smcd.bench.core;

import io.smcd.bench.common.Liveness;
import io.smcd.bench.common.Named;
import io.smcd.bench.common.PeerProcess;
import io.smcd.bench.common.PeerSide;
import io.smcd.bench.common.PingMessage;
import io.smcd.bench.common.StreamPattern;
import io.smcd.bench.common.Words;
import io.smcd.sim.ProcessIdentity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The second JVM of {@link CoreBench}: it opens the parent's domain, answers the parent's
 * {@link PeerProtocol} commands read from stdin, sends in throughput runs and echoes in ping-pong runs.
 * It exits when its stdin ends, so it never outlives the parent. Started by {@link CoreBench} only.
 *
 * <p>Thread-safety: one thread runs the commands; a second one reads stdin and raises the stop flag.
 */
public final class CoreBenchPeer {
    private final SmcdCore core;
    private final BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    private volatile boolean stopRequested;
    private volatile boolean exiting;
    private Link link;

    private CoreBenchPeer(SmcdCore core) {
        this.core = core;
    }

    /** Arguments: {@code --domain <directory>}, the parent's domain (started by CoreBench, not by hand). */
    public static void main(String[] args) {
        PeerSide.main(() -> {
            try (SmcdCore core = SmcdCore.open(Paths.get(Words.arguments(args).get("domain")))) {
                new CoreBenchPeer(core).serve();
            }
        });
    }

    private void serve() throws Exception {
        Thread stdinReader = new Thread(this::pumpStdin, "peer-stdin");
        stdinReader.setDaemon(true);
        stdinReader.start();
        PeerSide.answer(PeerProcess.READY, Long.toString(ProcessHandle.current().pid()));
        try {
            while (true) {
                String[] words = commands.take().split(" ");
                switch (words[0]) {
                    case PeerProtocol.SMCD_CONNECT:
                        connectSmcd(Named.of(Transport.class, words[1]), words[2],
                                Integer.parseInt(words[3]));
                        break;
                    case PeerProtocol.TCP_CONNECT:
                        connectTcp(Integer.parseInt(words[1]));
                        break;
                    case PeerProtocol.THROUGHPUT:
                        sendUntilStopped(Integer.parseInt(words[1]), Long.parseLong(words[2]));
                        break;
                    case PeerProtocol.PINGPONG:
                        echo(Integer.parseInt(words[1]));
                        break;
                    case PeerProtocol.CLOSE:
                        closeLink();
                        PeerSide.answer(PeerProtocol.CLOSED, "");
                        break;
                    case PeerProcess.EXIT:
                        exiting = true;
                        closeLink();
                        PeerSide.answer(PeerProcess.BYE, "");
                        return;
                    default:
                        throw new IllegalArgumentException("command=" + String.join(" ", words) + " unknown");
                }
            }
        } finally {
            closeLink();
        }
    }

    /** Joins the parent's RMB ({@link SmcdCore}) with a new one of this side, which it then names. */
    private void connectSmcd(Transport transport, String parentRmb, int ringSize) throws IOException {
        if (link != null) {
            throw new IllegalStateException("link=" + link);
        }
        ProcessIdentity parent = ProcessHandle.current().parent().flatMap(h -> ProcessIdentity.of(h.pid()))
                .orElseThrow(() -> new IOException("the parent JVM is gone"));
        SmcdCore.HalfConnection half = core.register(transport == Transport.COPY, ringSize, parent);
        try {
            link = new SmcdLink(transport.label(), half.join(parentRmb), Liveness.NONE);
        } catch (IOException | RuntimeException e) {
            half.abandon();
            throw e;
        }
        PeerSide.answer(PeerProtocol.SMCD_ACCEPTED, half.name());
    }

    private void connectTcp(int port) throws IOException {
        if (link != null) {
            throw new IllegalStateException("link=" + link);
        }
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        try {
            link = new TcpLink(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        PeerSide.answer(PeerProtocol.TCP_CONNECTED, "");
    }

    /** Streams the pattern until the parent says STOP, then ends the stream and reports the byte count. */
    private void sendUntilStopped(int writeSize, long seed) throws IOException {
        StreamPattern pattern = new StreamPattern(writeSize, seed);
        ByteBuffer block = pattern.newBlock();
        stopRequested = false;
        PeerSide.answer(PeerProtocol.THROUGHPUT_STARTED, "");
        long blocks = 0;
        while (!stopRequested) {
            pattern.stamp(block, blocks);
            block.clear();
            link.writeFully(block);
            blocks++;
        }
        link.shutdownOutput();
        PeerSide.answer(PeerProtocol.THROUGHPUT_DONE, Long.toString(blocks * writeSize));
    }

    /** Sends every message back as read, until the stop message, which is echoed too. */
    private void echo(int messageSize) throws IOException {
        ByteBuffer message = ByteBuffer.allocateDirect(messageSize);
        PeerSide.answer(PeerProtocol.PINGPONG_STARTED, "");
        long count = 0;
        while (true) {
            message.clear();
            link.readFully(message);
            message.flip();
            link.writeFully(message);
            count++;
            if (message.getLong(0) == PingMessage.STOP_SEQUENCE) {
                break;
            }
        }
        PeerSide.answer(PeerProtocol.PINGPONG_DONE, Long.toString(count));
    }

    private void closeLink() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    /** Queues commands for the main thread, raises the stop flag at once, and exits when the parent is gone. */
    private void pumpStdin() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals(PeerProtocol.STOP)) {
                    stopRequested = true;
                } else {
                    commands.add(line);
                }
            }
        } catch (IOException e) {
            System.err.println("peer: stdin unreadable: " + e);
        }
        if (!exiting) {
            // The parent is gone or gave up: nobody will read what this process does any more.
            System.err.println("peer: stdin closed, exiting");
            core.close();
            System.exit(3);
        }
    }
}
