package io.smcd.channel.testsuite;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.channel.SmcdFallbackReason;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proof that the testsuite's smcd channels really ran over SMC-D: a probe at the head of every smcd channel's pipeline
 * records the channel's {@link SmcdSocketChannel#mode()} when it becomes active (the mode is final by then), together
 * with the mode its combination must produce. After each test, {@link #assertExpectedModes} fails if any channel
 * that became active has another mode. Channels that never became active (refused connections, channels written to
 * before they connect) are not counted: their mode means nothing.
 *
 * <p>It also keeps every smcd channel (server, client, accepted) until it closes, so that the channels a test class
 * left open can be closed when the class ends and the domain checked for leaked files.
 *
 * <p>Thread-safe: probes record from event loops, the test thread checks.
 */
final class SmcdModeRecorder {
    private static final String PROBE_NAME = "smcd-testsuite-mode-probe";
    private static final Queue<Activation> ACTIVATIONS = new ConcurrentLinkedQueue<>();
    private static final Map<SmcdMode, AtomicLong> VERIFIED = new EnumMap<>(SmcdMode.class);
    private static final Set<Channel> OPEN = ConcurrentHashMap.newKeySet();

    static {
        for (SmcdMode mode : SmcdMode.values()) {
            VERIFIED.put(mode, new AtomicLong());
        }
    }

    private SmcdModeRecorder() {
    }

    /** Adds a probe to {@code channel} that records its mode when it becomes active. */
    static void probe(SmcdSocketChannel channel, String combo, String side, SmcdMode expected) {
        track(channel);
        channel.pipeline().addFirst(PROBE_NAME, new ActivationProbe(combo, side, expected));
    }

    private static void track(Channel channel) {
        OPEN.add(channel);
        channel.closeFuture().addListener(f -> OPEN.remove(channel));
    }

    /**
     * Closes the smcd channels still open, which tests may leave to the group's shutdown (Netty's tests do not all
     * close their server channels), and waits for the closes to complete.
     *
     * @return how many channels were still open
     */
    static int closeLeftOpen() {
        List<Channel> open = new ArrayList<>(OPEN);
        List<ChannelFuture> closing = new ArrayList<>(open.size());
        for (Channel channel : open) {
            if (channel.isRegistered()) {
                closing.add(channel.close());
            } else {
                // Never registered, or closed forcibly before it was (whose close future never completes).
                channel.unsafe().closeForcibly();
                OPEN.remove(channel);
            }
        }
        for (ChannelFuture future : closing) {
            future.awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        return open.size();
    }

    /**
     * Adds a handler to the server channel that probes each connection it accepts. It sits before the
     * {@code ServerBootstrap}'s acceptor, so the probe is first in the child's pipeline, ahead of the child handler.
     */
    static void probeAcceptedChannels(SmcdServerSocketChannel server, String combo, SmcdMode expected) {
        track(server);
        server.pipeline().addFirst(PROBE_NAME, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof SmcdSocketChannel) {
                    probe((SmcdSocketChannel) msg, combo, "accepted", expected);
                }
                ctx.fireChannelRead(msg);
            }
        });
    }

    /** Forgets the activations recorded so far. */
    static void reset() {
        ACTIVATIONS.clear();
    }

    /**
     * Fails if a channel that became active since the last {@link #reset()} did not have its expected mode: the one
     * {@code test} says for its combination and side ({@link SmcdTestsuiteTest#expectedMode}).
     */
    static void assertExpectedModes(SmcdTestsuiteTest test) {
        List<String> wrong = new ArrayList<>();
        Activation activation;
        while ((activation = ACTIVATIONS.poll()) != null) {
            SmcdMode expected = test.expectedMode(activation.combo, activation.side, activation.expected);
            if (activation.actual == expected) {
                VERIFIED.get(activation.actual).incrementAndGet();
            } else {
                wrong.add(activation + (expected != activation.expected ? " (this test expects " + expected + ")" : ""));
            }
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError(wrong.size() + " smcd channel(s) became active in the wrong mode:\n  "
                    + String.join("\n  ", wrong));
        }
    }

    /** How many channels became active in each mode and were checked, since the JVM started. */
    static String summary() {
        return "smcd channels verified active in their expected mode: " + VERIFIED;
    }

    private static final class ActivationProbe extends ChannelInboundHandlerAdapter {
        private final String combo;
        private final String side;
        private final SmcdMode expected;

        ActivationProbe(String combo, String side, SmcdMode expected) {
            this.combo = combo;
            this.side = side;
            this.expected = expected;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            SmcdSocketChannel channel = (SmcdSocketChannel) ctx.channel();
            ACTIVATIONS.add(new Activation(channel, combo, side, expected, channel.mode(), channel.fallbackReason()));
            ctx.fireChannelActive();
            ctx.pipeline().remove(this);
        }
    }

    private static final class Activation {
        final String channel;
        final String combo;
        final String side;
        final SmcdMode expected;
        final SmcdMode actual;
        final SmcdFallbackReason fallbackReason;

        Activation(Channel channel, String combo, String side, SmcdMode expected, SmcdMode actual,
                SmcdFallbackReason fallbackReason) {
            this.channel = channel.toString();
            this.combo = combo;
            this.side = side;
            this.expected = expected;
            this.actual = actual;
            this.fallbackReason = fallbackReason;
        }

        @Override
        public String toString() {
            return combo + " " + side + " " + channel + ": mode=" + actual + " expected=" + expected
                    + (fallbackReason != null ? " fallbackReason=" + fallbackReason : "");
        }
    }
}
