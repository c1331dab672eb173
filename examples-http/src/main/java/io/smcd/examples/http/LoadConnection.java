package io.smcd.examples.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdSocketChannel;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One connection of the {@link HttpLoadGenerator}: a closed loop of one request in flight at a time on a keep-alive
 * HTTP/1.1 connection, like a wrk connection. When the server closes the connection, or a request times out, it
 * reconnects and goes on. Latency runs from writing the request to reading the last byte of the response.
 *
 * <p>Confined to one event loop: everything but the constructor, {@link #connect} and {@link #stop} runs on it, and
 * the statistics are read only after the future of {@link #stop} completed, which orders them before the read.
 */
final class LoadConnection {
    private static final long RECONNECT_DELAY_MILLIS = 10;

    private final HttpLoadGenerator generator;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final long timeoutNanos;
    private final ChannelFutureListener writeListener = this::written;

    private Channel channel;
    private boolean started;
    private boolean stopped;
    private boolean inFlight;
    private long sentAt;
    private ScheduledFuture<?> timeoutCheck;

    final Histogram latencyNanos;
    final Map<String, Integer> modes = new TreeMap<>();
    long requests;
    long errorResponses;
    long bytesRead;
    long connectErrors;
    long readErrors;
    long writeErrors;
    long timeouts;

    LoadConnection(HttpLoadGenerator generator, EventLoop loop, Class<? extends Channel> channelClass,
            HttpLoadGenerator.Options options, long highestLatencyNanos) {
        this.generator = generator;
        this.loop = loop;
        this.timeoutNanos = options.timeout.toNanos();
        this.latencyNanos = new Histogram(highestLatencyNanos, 3);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .remoteAddress(options.remoteAddress(channelClass))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        options.timeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ByteCounter(), new HttpClientCodec(), new ResponseHandler());
                    }
                });
        // Set only what the channel has, so that no connection logs an unknown option.
        if (options.unixSocket == null) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        if (options.smcdDevices != null && SmcdSocketChannel.class.isAssignableFrom(channelClass)) {
            bootstrap.option(SmcdChannelOption.SMCD_DEVICES, options.smcdDevices);
        }
    }

    /** Opens the connection; the future says whether this first attempt succeeded. */
    Future<Void> connect() {
        Promise<Void> first = loop.newPromise();
        loop.execute(() -> connect(first));
        return first;
    }

    private void connect(Promise<Void> first) {
        if (stopped) {
            if (first != null) {
                first.tryFailure(new IllegalStateException("stopped"));
            }
            return;
        }
        ChannelFuture connect = bootstrap.connect();
        channel = connect.channel();
        connect.addListener(f -> {
            if (f.isSuccess()) {
                if (first != null) {
                    first.trySuccess(null);
                }
                return;
            }
            if (stopped) {
                return;
            }
            connectErrors++;
            if (first != null) {
                first.tryFailure(f.cause());
            } else {
                loop.schedule(() -> connect(null), RECONNECT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Starts sending requests; call once {@link #connect()} succeeded. */
    void start() {
        loop.execute(() -> {
            started = true;
            long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                    Math.min(timeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(100)));
            timeoutCheck = loop.scheduleAtFixedRate(this::checkTimeout, period, period, TimeUnit.NANOSECONDS);
            if (channel != null && channel.isActive()) {
                send(channel);
            }
        });
    }

    /** Stops sending and closes the connection; the future completes once it is closed. */
    Future<Void> stop() {
        Promise<Void> closed = loop.newPromise();
        loop.execute(() -> {
            stopped = true;
            if (timeoutCheck != null) {
                timeoutCheck.cancel(false);
            }
            if (channel == null) {
                closed.setSuccess(null);
            } else {
                channel.close().addListener(f -> closed.setSuccess(null));
            }
        });
        return closed;
    }

    private void send(Channel ch) {
        if (stopped || !generator.tryIssue()) {
            return;
        }
        inFlight = true;
        sentAt = System.nanoTime();
        ch.writeAndFlush(generator.newRequest()).addListener(writeListener);
    }

    private void written(ChannelFuture f) {
        if (f.isSuccess() || stopped) {
            return;
        }
        writeErrors++;
        abandonRequest();
        f.channel().close();
    }

    private void checkTimeout() {
        if (inFlight && System.nanoTime() - sentAt > timeoutNanos) {
            timeouts++;
            abandonRequest();
            channel.close();
        }
    }

    /** The request in flight will never complete: count it as finished so a request budget can still run out. */
    private void abandonRequest() {
        if (inFlight) {
            inFlight = false;
            generator.requestFinished();
        }
    }

    private void completed(Channel ch, int status, boolean keepAlive) {
        if (!inFlight) {
            return;
        }
        inFlight = false;
        long nanos = System.nanoTime() - sentAt;
        if (!stopped && generator.isMeasuring()) {
            latencyNanos.recordValue(Math.min(nanos, latencyNanos.getHighestTrackableValue()));
            requests++;
            if (status >= 400) {
                errorResponses++;
            }
        }
        generator.requestFinished();
        if (keepAlive) {
            send(ch);
        } else {
            ch.close();
        }
    }

    /** Counts the bytes read from the socket (headers and bodies), as wrk's "read". */
    private final class ByteCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf && !stopped && generator.isMeasuring()) {
                bytesRead += ((ByteBuf) msg).readableBytes();
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Ends each response, and reconnects when the server closed the connection. One per channel. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter {
        private int status;
        private boolean keepAlive;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            modes.merge(ConnectionMode.describe(ctx.channel()), 1, Integer::sum);
            if (started && !stopped) {
                send(ctx.channel());
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse) {
                    HttpResponse response = (HttpResponse) msg;
                    status = response.status().code();
                    keepAlive = HttpUtil.isKeepAlive(response);
                    if (!response.decoderResult().isSuccess()) {
                        readErrors++;
                        abandonRequest();
                        ctx.close();
                        return;
                    }
                }
                if (msg instanceof LastHttpContent) {
                    completed(ctx.channel(), status, keepAlive);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!stopped) {
                if (inFlight) {
                    readErrors++;
                    abandonRequest();
                }
                if (ctx.channel() == channel) {
                    connect(null);
                }
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!stopped && !inFlight) {
                readErrors++;
            }
            ctx.close();
        }
    }
}
