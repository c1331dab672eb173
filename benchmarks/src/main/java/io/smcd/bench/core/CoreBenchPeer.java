package io.smcd.bench.core;

import io.smcd.sim.CopyIsmDevice;
import io.smcd.sim.DmbSegment;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.SmcdConnection;
import io.smcd.sim.SmcdDomain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Map;
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
    private final SmcdDomain domain;
    private final Map<String, IsmDevice> devices;
    private final BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    private volatile boolean stopRequested;
    private volatile boolean exiting;
    private Link link;

    private CoreBenchPeer(SmcdDomain domain) {
        this.domain = domain;
        this.devices = Map.of(Transport.LOOPBACK.option(), new LoopbackIsmDevice(domain),
                Transport.COPY.option(), new CopyIsmDevice(domain));
    }

    /** Arguments: {@code --domain <directory>}, the parent's domain. */
    public static void main(String[] args) {
        if (args.length != 2 || !args[0].equals("--domain")) {
            System.err.println("usage: CoreBenchPeer --domain <directory> (started by CoreBench, not by hand)");
            System.exit(2);
        }
        int status = 0;
        try (SmcdDomain domain = SmcdDomain.open(Paths.get(args[1]))) {
            new CoreBenchPeer(domain).serve();
        } catch (Throwable t) {
            answer(PeerProtocol.ERROR + " " + String.valueOf(t).replace('\n', ' '));
            t.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private void serve() throws Exception {
        Thread stdinReader = new Thread(this::pumpStdin, "peer-stdin");
        stdinReader.setDaemon(true);
        stdinReader.start();
        answer(PeerProtocol.READY + " " + ProcessHandle.current().pid());
        try {
            while (true) {
                String[] words = commands.take().split(" ");
                switch (words[0]) {
                    case PeerProtocol.SMCD_CONNECT:
                        connectSmcd(words[1], Long.parseUnsignedLong(words[2], 16), Integer.parseInt(words[3]));
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
                        answer(PeerProtocol.CLOSED);
                        break;
                    case PeerProtocol.EXIT:
                        exiting = true;
                        closeLink();
                        answer(PeerProtocol.BYE);
                        return;
                    default:
                        throw new IllegalArgumentException("command=" + String.join(" ", words) + " unknown");
                }
            }
        } finally {
            closeLink();
        }
    }

    private void connectSmcd(String deviceName, long peerToken, int ringSize) throws IOException {
        IsmDevice device = devices.get(deviceName);
        if (device == null || link != null) {
            throw new IllegalStateException("device=" + deviceName + " link=" + link);
        }
        DmbSegment rmb = device.registerDmb(ringSize);
        try {
            DmbSegment peerDmb = device.attachDmb(peerToken, ringSize);
            link = new SmcdLink(Transport.ofOption(deviceName).label(), new SmcdConnection(device, rmb, peerDmb, SmcdLink.NO_DOORBELL),
                    Liveness.NONE);
        } catch (IOException | RuntimeException e) {
            device.unregisterDmb(rmb);
            throw e;
        }
        answer(PeerProtocol.SMCD_ACCEPTED + " " + Long.toHexString(rmb.token()) + " " + ringSize);
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
        answer(PeerProtocol.TCP_CONNECTED);
    }

    /** Streams the pattern until the parent says STOP, then ends the stream and reports the byte count. */
    private void sendUntilStopped(int writeSize, long seed) throws IOException {
        StreamPattern pattern = new StreamPattern(writeSize, seed);
        ByteBuffer block = pattern.newBlock();
        stopRequested = false;
        answer(PeerProtocol.THROUGHPUT_STARTED);
        long blocks = 0;
        while (!stopRequested) {
            pattern.stamp(block, blocks);
            block.clear();
            link.writeFully(block);
            blocks++;
        }
        link.shutdownOutput();
        answer(PeerProtocol.THROUGHPUT_DONE + " " + blocks * writeSize);
    }

    /** Sends every message back as read, until the stop message, which is echoed too. */
    private void echo(int messageSize) throws IOException {
        ByteBuffer message = ByteBuffer.allocateDirect(messageSize);
        answer(PeerProtocol.PINGPONG_STARTED);
        long count = 0;
        while (true) {
            message.clear();
            link.readFully(message);
            message.flip();
            link.writeFully(message);
            count++;
            if (message.getLong(0) == PeerProtocol.STOP_SEQUENCE) {
                break;
            }
        }
        answer(PeerProtocol.PINGPONG_DONE + " " + count);
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
            domain.close();
            System.exit(3);
        }
    }

    private static synchronized void answer(String line) {
        System.out.print(PeerProtocol.PREFIX + line + "\n");
        System.out.flush();
    }
}
