package io.smcd.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.smcd.bench.common.PingMessage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A connection that sends one message to the echo port as soon as it is active and checks its echo; then it either
 * closes (connection rate: the future completes once the close has completed) or stays open (idle CPU: the future
 * completes with the echo). The future's value is what is wrong with the connection's transport, e.g. an smcd
 * connection that fell back to TCP, or null.
 *
 * <p>One instance per connection; confined to its event loop.
 */
final class OneEcho extends ChannelInboundHandlerAdapter {
    private final byte[] message;
    private final boolean closeAfterEcho;
    private final Function<Channel, String> modeProblem;
    private final CompletableFuture<String> done = new CompletableFuture<>();
    private int received;
    private String problem;
    private final long created = System.nanoTime();
    private long active;
    private long echoed;

    OneEcho(long sequence, int size, boolean closeAfterEcho, Function<Channel, String> modeProblem) {
        this.message = new byte[size];
        PingMessage.fill(ByteBuffer.wrap(message), sequence);
        this.closeAfterEcho = closeAfterEcho;
        this.modeProblem = modeProblem;
    }

    CompletableFuture<String> done() {
        return done;
    }

    /** From the creation of this handler (just before connect) to {@code channelActive}: TCP plus any handshake. */
    long connectNanos() {
        return active - created;
    }

    /** From {@code channelActive} to the whole echo. */
    long echoNanos() {
        return echoed - active;
    }

    /** From the whole echo to now (the close has completed when the future completes). */
    long closeNanos(long now) {
        return now - echoed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active = System.nanoTime();
        problem = modeProblem.apply(ctx.channel());
        ctx.writeAndFlush(ctx.alloc().directBuffer(message.length, message.length).writeBytes(message), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        ByteBuf in = (ByteBuf) msg;
        try {
            int n = in.readableBytes();
            if (received + n > message.length) {
                throw new IOException("echo longer than " + message.length + " bytes");
            }
            for (int i = 0; i < n; i++) {
                if (in.getByte(in.readerIndex() + i) != message[received + i]) {
                    throw new IOException("echo differs at byte " + (received + i));
                }
            }
            received += n;
        } finally {
            in.release();
        }
        if (received == message.length) {
            echoed = System.nanoTime();
            if (closeAfterEcho) {
                ctx.close().addListener(f -> done.complete(problem));
            } else {
                done.complete(problem);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (received < message.length) {
            done.completeExceptionally(new IOException("connection closed after " + received + " of " + message.length + " echo bytes"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.completeExceptionally(cause);
        ctx.close();
    }
}
