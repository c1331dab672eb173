package io.smcd.examples.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection Netty HTTP/1.1 keep-alive client for tests, on whatever group and channel class it is given (an
 * smcd client, or a NIO one). Responses are aggregated and copied out. Not thread-safe: one request at a time.
 */
final class NettyHttpClient implements AutoCloseable {
    private static final Object CLOSED = new Object();

    private final Channel channel;
    private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();

    NettyHttpClient(EventLoopGroup group, Class<? extends Channel> channelClass, SocketAddress server)
            throws InterruptedException {
        channel = new Bootstrap()
                .group(group)
                .channel(channelClass)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024 * 1024),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
                                        Map<String, String> headers = new TreeMap<>();
                                        msg.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT),
                                                h.getValue()));
                                        responses.add(new RawHttp.Response(msg.status().code(), headers,
                                                ByteBufUtil.getBytes(msg.content())));
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        responses.add(CLOSED);
                                        ctx.fireChannelInactive();
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        responses.add(cause);
                                        ctx.close();
                                    }
                                });
                    }
                })
                .connect(server).sync().channel();
    }

    Channel channel() {
        return channel;
    }

    RawHttp.Response get(String path) throws IOException, InterruptedException {
        return exchange(HttpMethod.GET, path);
    }

    RawHttp.Response exchange(HttpMethod method, String path) throws IOException, InterruptedException {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path);
        request.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
        channel.writeAndFlush(request);
        Object response = responses.poll(30, TimeUnit.SECONDS);
        if (response instanceof RawHttp.Response) {
            return (RawHttp.Response) response;
        }
        if (response instanceof Throwable) {
            throw new IOException("request " + method + " " + path + " failed", (Throwable) response);
        }
        throw new IOException("no response to " + method + " " + path + ": " + (response == CLOSED ? "connection closed"
                : "timed out"));
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
