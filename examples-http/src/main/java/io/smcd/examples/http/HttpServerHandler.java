package io.smcd.examples.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * The example's endpoints, behind {@code HttpServerCodec}, {@code HttpServerKeepAliveHandler} and
 * {@code HttpObjectAggregator}:
 * <ul>
 *   <li>{@code GET /hello}: {@code Hello, World!} and a newline.</li>
 *   <li>{@code GET /bytes?size=N}: a body of exactly N bytes (at most {@value #MAX_BODY_BYTES}), lines of 63 letters,
 *       digits and '-' and a newline, so byte {@code i} is {@code BODY_PATTERN[i % 64]}.</li>
 *   <li>{@code GET /files/<name>}: the file {@code name} under the files directory, sent as a {@link DefaultFileRegion}
 *       (sendfile over TCP, a copy into the peer's RMB over SMC-D). A name that leaves the directory, also through a
 *       symbolic link, gets 403.</li>
 * </ul>
 * HEAD works on all three. Each response carries {@value #MODE_HEADER_NAME}: how the server sees this connection, so a
 * curl user can tell TCP from SMC-D at a glance. Responses are flushed once per read batch, which serves pipelined
 * requests in order.
 *
 * <p>Not sharable: one per connection, confined to its event loop.
 */
final class HttpServerHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String MODE_HEADER_NAME = "x-smcd-mode";
    static final long MAX_BODY_BYTES = 1L << 30;
    /** One line of the /bytes body; 64 bytes, so every power-of-two chunk starts at the line start. */
    static final byte[] BODY_LINE =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-\n".getBytes(StandardCharsets.US_ASCII);

    private static final AsciiString MODE_HEADER = AsciiString.cached(MODE_HEADER_NAME);
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=UTF-8");
    private static final int BODY_CHUNK = 1 << 20;
    /** Shared read-only bodies: never freed, so every response can use a slice without counting references. */
    private static final ByteBuf HELLO = shared("Hello, World!\n".getBytes(StandardCharsets.US_ASCII));
    private static final ByteBuf BODY = shared(bodyChunk());

    private final Path filesRoot;
    private String mode = "unknown";

    /** {@code filesRoot}: the real path of the files directory, or null to answer 404 to every /files/ request. */
    HttpServerHandler(Path filesRoot) {
        this.filesRoot = filesRoot;
    }

    private static ByteBuf shared(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes).asReadOnly());
    }

    private static byte[] bodyChunk() {
        byte[] chunk = new byte[BODY_CHUNK];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = BODY_LINE[i % BODY_LINE.length];
        }
        return chunk;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        mode = ConnectionMode.describe(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            sendError(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request", true);
            return;
        }
        HttpMethod method = request.method();
        boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method)) {
            FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            ctx.write(response);
            return;
        }
        QueryStringDecoder query;
        try {
            query = new QueryStringDecoder(request.uri());
        } catch (IllegalArgumentException e) {
            sendError(ctx, HttpResponseStatus.BAD_REQUEST, "malformed URI", false);
            return;
        }
        String path = query.path();
        if (path.equals("/hello")) {
            ctx.write(full(HttpResponseStatus.OK, TEXT_PLAIN, HELLO.duplicate(), head));
        } else if (path.equals("/bytes")) {
            bytes(ctx, query.parameters().get("size"), head);
        } else if (path.startsWith("/files/")) {
            file(ctx, path.substring("/files/".length()), head);
        } else {
            sendError(ctx, HttpResponseStatus.NOT_FOUND, "no such endpoint: try /hello, /bytes?size=N, /files/<name>",
                    false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    private void bytes(ChannelHandlerContext ctx, List<String> sizes, boolean head) {
        long size = -1;
        if (sizes != null && sizes.size() == 1) {
            try {
                size = Long.parseLong(sizes.get(0));
            } catch (NumberFormatException e) {
                size = -1;
            }
        }
        if (size < 0 || size > MAX_BODY_BYTES) {
            sendError(ctx, HttpResponseStatus.BAD_REQUEST, "size must be one integer in [0, " + MAX_BODY_BYTES + "]",
                    false);
            return;
        }
        if (size <= BODY_CHUNK || head) {
            FullHttpResponse response = full(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_OCTET_STREAM,
                    BODY.slice(0, (int) Math.min(size, BODY_CHUNK)), head);
            HttpUtil.setContentLength(response, size);
            ctx.write(response);
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        headers(response, HttpHeaderValues.APPLICATION_OCTET_STREAM, size);
        ctx.write(response);
        for (long left = size; left > 0; left -= BODY_CHUNK) {
            ctx.write(new DefaultHttpContent(BODY.slice(0, (int) Math.min(left, BODY_CHUNK))));
        }
        ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private void file(ChannelHandlerContext ctx, String name, boolean head) {
        if (filesRoot == null) {
            sendError(ctx, HttpResponseStatus.NOT_FOUND, "this server serves no files (start it with --files DIR)",
                    false);
            return;
        }
        Path file = resolve(filesRoot, name);
        if (file == null) {
            sendError(ctx, HttpResponseStatus.FORBIDDEN, "outside the files directory", false);
            return;
        }
        if (!Files.isRegularFile(file)) {
            sendError(ctx, HttpResponseStatus.NOT_FOUND, "no such file", false);
            return;
        }
        FileChannel channel;
        long length;
        try {
            if (!file.toRealPath().startsWith(filesRoot)) {
                sendError(ctx, HttpResponseStatus.FORBIDDEN, "outside the files directory", false);
                return;
            }
            channel = FileChannel.open(file, StandardOpenOption.READ);
            length = channel.size();
        } catch (IOException e) {
            sendError(ctx, HttpResponseStatus.NOT_FOUND, "cannot read file", false);
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        headers(response, contentType(file), length);
        ctx.write(response);
        if (head || length == 0) {
            closeQuietly(channel);
        } else {
            // Owns the file channel from here on: closed when the region is released after it was written.
            ctx.write(new DefaultFileRegion(channel, 0, length));
        }
        ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /**
     * The file {@code name} (already percent-decoded) names under {@code root}, or null if it would be outside
     * {@code root} or is not a plain relative path. Symbolic links are checked by the caller on the real path.
     */
    static Path resolve(Path root, String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            return null;
        }
        Path candidate;
        try {
            candidate = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
        return candidate.startsWith(root) && !candidate.equals(root) ? candidate : null;
    }

    private static CharSequence contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return "text/html; charset=UTF-8";
        }
        if (name.endsWith(".txt")) {
            return TEXT_PLAIN;
        }
        if (name.endsWith(".json")) {
            return HttpHeaderValues.APPLICATION_JSON;
        }
        return HttpHeaderValues.APPLICATION_OCTET_STREAM;
    }

    private FullHttpResponse full(HttpResponseStatus status, CharSequence contentType, ByteBuf body, boolean head) {
        int length = body.readableBytes();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : body);
        headers(response, contentType, length);
        return response;
    }

    private void headers(HttpResponse response, CharSequence contentType, long length) {
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, length)
                .set(MODE_HEADER, mode);
    }

    private FullHttpResponse error(HttpResponseStatus status, String message) {
        return full(status, TEXT_PLAIN, Unpooled.copiedBuffer(status + ": " + message + "\n", StandardCharsets.UTF_8),
                false);
    }

    private void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String message, boolean close) {
        FullHttpResponse response = error(status, message);
        if (close) {
            HttpUtil.setKeepAlive(response, false);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.write(response);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Only read from; nothing was lost.
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Clients such as wrk reset their connections at the end of a run; that is no news worth printing.
        if (!(cause instanceof IOException)) {
            System.err.println("HttpServer: closing " + ctx.channel() + ": " + cause);
        }
        ctx.close();
    }
}
