package io.smcd.channel.process;

import io.smcd.sim.IsmDevice;
import io.smcd.sim.SmcdReason;
import io.smcd.sim.clc.ClcCodec;
import io.smcd.sim.clc.ClcDecline;
import io.smcd.sim.clc.ClcHeader;
import io.smcd.sim.handshake.ClcAcceptorHandshake;
import io.smcd.sim.handshake.ClcHandshakeStep;
import io.smcd.sim.lgr.LinkGroups;
import io.smcd.sim.registry.ClientIntent;
import io.smcd.sim.registry.EndpointRegistry;
import io.smcd.sim.registry.IntentOffer;
import io.smcd.sim.registry.Listener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A client that speaks CLC by hand over a blocking socket: it publishes an intent in the server's listener segment so
 * that the server claims it and sends its Proposal, computes the real Accept with a {@link ClcAcceptorHandshake} of its
 * own, and then answers with one {@link Kind} of bad (or slow) handshake, and reports how the server reacted.
 *
 * <p>Thread-safe as far as the shared registry and link groups are; one socket per {@link #run} call.
 */
final class RawClcClient {
    /** What the client answers to the server's Proposal. */
    enum Kind {
        /** Nothing at all. */
        STALL,
        /** The real Accept, one byte a millisecond: within the CLC timeout. */
        SLOW_VALID,
        /** The real Accept, one byte every 50 ms: slower than the CLC timeout. */
        TOO_SLOW,
        /** The first part of the Accept, then nothing. */
        PARTIAL_THEN_STALL,
        /** The first part of the Accept, then the socket's end. */
        PARTIAL_THEN_CLOSE,
        /** Random bytes. */
        GARBAGE,
        /** The Accept with a few random bytes flipped. */
        FLIPPED,
        /** A header announcing the longest message a length field can hold, and more bytes than any CLC message has. */
        OVERSIZED,
        /** The server's own Proposal, sent back. */
        PROPOSAL_REPLAYED,
        /** The Accept relabelled as a Confirm: out of order. */
        CONFIRM_FIRST,
        /** An Accept of an earlier connection, naming that connection's lease. */
        STALE_ACCEPT,
        /** A Decline; the server must then serve the connection over TCP, which the client checks with an echo. */
        DECLINE
    }

    /** How the server reacted. */
    enum Reaction {
        /** It sent a CLC Decline. */
        DECLINED,
        /** It sent a Confirm (after a valid Accept). */
        CONFIRMED,
        /** It sent nothing and kept the connection: SMC-D after a valid Accept whose RMB it knew already. */
        SILENT,
        /** It closed or reset the connection. */
        CLOSED,
        /** It fell back to TCP and echoed the client's bytes. */
        ECHOED
    }

    /** One handshake: what was sent, how the server reacted, and when. */
    record Outcome(Kind kind, Reaction reaction, long millis) {
    }

    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    private final EndpointRegistry registry;
    private final LinkGroups linkGroups;
    private final List<IsmDevice> devices;
    private final InetSocketAddress server;
    private final int clcTimeoutMillis;
    private volatile byte[] earlierAccept;

    RawClcClient(EndpointRegistry registry, LinkGroups linkGroups, List<IsmDevice> devices, InetSocketAddress server,
            int clcTimeoutMillis) {
        this.registry = registry;
        this.linkGroups = linkGroups;
        this.devices = devices;
        this.server = server;
        this.clcTimeoutMillis = clcTimeoutMillis;
    }

    /** Runs one handshake of {@code kind}; returns once the server reacted, failing if it did not within the bound. */
    Outcome run(Kind kind, SplittableRandom random) throws IOException, InterruptedException {
        Listener listener = registry.findListener(server)
                .orElseThrow(() -> new AssertionError("no SMC-D listener at " + server));
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            ClientIntent intent = listener.reserve(server, IntentOffer.NONE);
            ClcAcceptorHandshake handshake = new ClcAcceptorHandshake(devices, linkGroups, 65536, () -> { });
            ClcHandshakeStep step = handshake.start();
            try {
                intent.publish((InetSocketAddress) socket.getLocalSocketAddress());
                socket.connect(server, 10_000);
                socket.setSoTimeout(bound());
                byte[] proposal = readMessage(socket.getInputStream());
                if (intent.decide() != ClientIntent.Outcome.CLC) {
                    throw new AssertionError("the server did not claim the intent for CLC");
                }
                step = handshake.onBytes(ByteBuffer.wrap(proposal));
                byte[] accept = bytes(step.output());
                if (accept.length == 0) {
                    throw new AssertionError("no Accept for the server's Proposal: " + step);
                }
                byte[] earlier = earlierAccept;
                earlierAccept = accept;
                long start = System.nanoTime();
                Reaction reaction = answer(kind, socket, proposal, accept, earlier != null ? earlier : proposal, random);
                return new Outcome(kind, reaction, (System.nanoTime() - start) / 1_000_000);
            } finally {
                intent.close();
                if (step.connection() != null) {
                    step.connection().abort();
                }
                handshake.fallBack(SmcdReason.INTERR);
            }
        }
    }

    /** The longest the server may take to react: the CLC timeout plus a generous margin for a loaded host. */
    int bound() {
        return clcTimeoutMillis + 5_000;
    }

    private static Reaction answer(Kind kind, Socket socket, byte[] proposal, byte[] accept, byte[] earlier,
            SplittableRandom random) throws IOException, InterruptedException {
        try {
            send(kind, socket, proposal, accept, earlier, random);
        } catch (SocketException e) {
            // The server gave up on us while we were still sending: closed, or reset.
            return Reaction.CLOSED;
        }
        return kind == Kind.DECLINE ? echoOverTcp(socket) : reaction(kind, socket.getInputStream());
    }

    private static void send(Kind kind, Socket socket, byte[] proposal, byte[] accept, byte[] earlier,
            SplittableRandom random) throws IOException, InterruptedException {
        OutputStream out = socket.getOutputStream();
        switch (kind) {
            case STALL:
                break;
            case SLOW_VALID:
                trickle(out, accept, 1);
                break;
            case TOO_SLOW:
                trickle(out, accept, 50);
                break;
            case PARTIAL_THEN_STALL:
                out.write(accept, 0, 1 + random.nextInt(accept.length - 1));
                break;
            case PARTIAL_THEN_CLOSE:
                out.write(accept, 0, 1 + random.nextInt(accept.length - 1));
                socket.shutdownOutput();
                break;
            case GARBAGE:
                byte[] garbage = new byte[1 + random.nextInt(600)];
                random.nextBytes(garbage);
                out.write(garbage);
                break;
            case FLIPPED:
                byte[] flipped = accept.clone();
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
                }
                out.write(flipped);
                break;
            case OVERSIZED:
                byte[] huge = Arrays.copyOf(accept, 70_000);
                huge[ClcHeader.LENGTH_OFFSET] = (byte) 0xFF;
                huge[ClcHeader.LENGTH_OFFSET + 1] = (byte) 0xFF;
                out.write(huge);
                break;
            case PROPOSAL_REPLAYED:
                out.write(proposal);
                break;
            case CONFIRM_FIRST:
                byte[] confirm = accept.clone();
                confirm[ClcHeader.TYPE_OFFSET] = ClcHeader.TYPE_CONFIRM;
                out.write(confirm);
                break;
            case STALE_ACCEPT:
                out.write(earlier);
                break;
            default:
                out.write(ClcCodec.encode(new ClcDecline(SmcdReason.NOSMCDEV)));
                break;
        }
        out.flush();
    }

    private static void trickle(OutputStream out, byte[] message, int gapMillis) throws IOException, InterruptedException {
        for (byte b : message) {
            out.write(b);
            out.flush();
            Thread.sleep(gapMillis);
        }
    }

    /** What the server answered: a Decline, a Confirm, its end, or nothing before the bound (then SILENT). */
    private static Reaction reaction(Kind kind, InputStream in) throws IOException {
        byte[] header;
        try {
            header = in.readNBytes(ClcHeader.HEADER_LENGTH);
        } catch (SocketTimeoutException e) {
            return Reaction.SILENT;
        } catch (SocketException e) {
            return Reaction.CLOSED;
        }
        if (header.length < ClcHeader.HEADER_LENGTH) {
            return Reaction.CLOSED;
        }
        switch (header[ClcHeader.TYPE_OFFSET]) {
            case ClcHeader.TYPE_DECLINE:
                return Reaction.DECLINED;
            case ClcHeader.TYPE_CONFIRM:
                return Reaction.CONFIRMED;
            default:
                throw new AssertionError("unexpected answer from the server to " + kind + ": " + Arrays.toString(header));
        }
    }

    private static Reaction echoOverTcp(Socket socket) throws IOException {
        socket.getOutputStream().write(PING);
        byte[] echo = socket.getInputStream().readNBytes(PING.length);
        if (!Arrays.equals(PING, echo)) {
            throw new AssertionError("after our Decline the server did not echo over TCP: " + Arrays.toString(echo));
        }
        return Reaction.ECHOED;
    }

    /** One CLC message as framed by its header's length field. */
    private static byte[] readMessage(InputStream in) throws IOException {
        byte[] header = in.readNBytes(ClcHeader.HEADER_LENGTH);
        if (header.length < ClcHeader.HEADER_LENGTH) {
            throw new AssertionError("the server closed instead of proposing");
        }
        int length = ((header[ClcHeader.LENGTH_OFFSET] & 0xFF) << 8) | (header[ClcHeader.LENGTH_OFFSET + 1] & 0xFF);
        byte[] message = Arrays.copyOf(header, length);
        int body = in.readNBytes(message, ClcHeader.HEADER_LENGTH, length - ClcHeader.HEADER_LENGTH);
        if (body < length - ClcHeader.HEADER_LENGTH) {
            throw new AssertionError("the server's Proposal was cut short");
        }
        return message;
    }

    private static byte[] bytes(ByteBuffer output) {
        if (output == null) {
            return new byte[0];
        }
        byte[] b = new byte[output.remaining()];
        output.duplicate().get(b);
        return b;
    }
}
