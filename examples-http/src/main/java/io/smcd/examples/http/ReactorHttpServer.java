package io.smcd.examples.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.smcd.channel.SmcdIoHandlerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A Reactor Netty {@code HttpServer} on smcd's loops ({@code runOn(SmcdLoopResources.create(...))}), or on NIO with
 * {@code --transport nio}: {@code GET /hello} and {@code GET /bytes?size=N}. Each response carries
 * {@value HttpServerHandler#MODE_HEADER_NAME}, the server's view of the connection, and the server prints the mode of
 * each connection it accepts.
 *
 * <pre>
 * java -cp examples-http/target/examples-http.jar io.smcd.examples.http.ReactorHttpServer --port 8080
 * curl -i http://127.0.0.1:8080/hello
 * </pre>
 *
 * <p>Tests embed it with {@link #bind} on loops they own. Thread-safe: it keeps no state.
 */
public final class ReactorHttpServer {
    static final String USAGE = String.join("\n",
            "usage: ReactorHttpServer [--transport smcd|nio] [--host 127.0.0.1] [--port 8080] [--threads 0]",
            "                         [--domain DIR]",
            "  --transport  smcd (SMC-D with smcd clients on this host, TCP with curl and the rest) or nio; default smcd",
            "  --host       address to bind; default 127.0.0.1",
            "  --port       port to bind; default 8080 (0: any free port)",
            "  --threads    event loop threads; default 0 (Reactor Netty's default)",
            "  --domain     SMC-D domain directory; default /dev/shm/smcd-<user> (or -Dsmcd.domain)",
            "Each flag can also be given as a system property, e.g. -Dreactorserver.port=8080.");
    private static final Set<String> FLAGS = Set.of("transport", "host", "port", "threads", "domain");
    private static final byte[] HELLO = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);
    private static final AttributeKey<Boolean> REPORTED = AttributeKey.valueOf(ReactorHttpServer.class, "reported");
    /** The largest {@code /bytes} body served. */
    static final long MAX_BYTES = 1L << 30;

    private ReactorHttpServer() {
    }

    /** Binds the server on {@code loops}, reporting each accepted connection's mode to {@code log}. */
    public static DisposableServer bind(ReactorLoops loops, String host, int port, Consumer<String> log) {
        return HttpServer.create()
                .runOn(loops.loops, loops.preferNative)
                .host(host)
                .port(port)
                .doOnConnection(connection -> {
                    // Reactor calls this for every request of a keep-alive connection: report each one once.
                    if (connection.channel().attr(REPORTED).setIfAbsent(Boolean.TRUE) == null) {
                        log.accept("accepted " + connection.channel().remoteAddress() + ": "
                                + ConnectionMode.describe(connection.channel()));
                    }
                })
                .route(routes -> routes
                        .get("/hello", (request, response) -> withMode(request, response)
                                .header("content-type", "text/plain; charset=UTF-8")
                                .sendByteArray(Mono.just(HELLO)))
                        .get("/bytes", ReactorHttpServer::bytes))
                .bindNow(Duration.ofSeconds(30));
    }

    private static HttpServerResponse withMode(HttpServerRequest request, HttpServerResponse response) {
        request.withConnection(connection -> response.header(HttpServerHandler.MODE_HEADER_NAME,
                ConnectionMode.describe(connection.channel())));
        return response;
    }

    private static Mono<Void> bytes(HttpServerRequest request, HttpServerResponse response) {
        List<String> sizes = new QueryStringDecoder(request.uri()).parameters().get("size");
        long size;
        try {
            size = sizes == null ? -1 : Long.parseLong(sizes.get(0));
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0 || size > MAX_BYTES) {
            return response.status(HttpResponseStatus.BAD_REQUEST)
                    .sendString(Mono.just("size must be a number in [0, " + MAX_BYTES + "]\n")).then();
        }
        byte[] line = HttpServerHandler.BODY_LINE;
        long total = size;
        return withMode(request, response)
                .header("content-length", String.valueOf(total))
                .header("content-type", "application/octet-stream")
                .sendByteArray(Flux.generate(() -> 0L, (sent, sink) -> {
                    int length = (int) Math.min(64 * 1024, total - sent);
                    if (length == 0) {
                        sink.complete();
                        return sent;
                    }
                    byte[] chunk = new byte[length];
                    for (int i = 0; i < length; i++) {
                        chunk[i] = line[(int) ((sent + i) % line.length)];
                    }
                    sink.next(chunk);
                    return sent + length;
                }))
                .then();
    }

    public static void main(String[] args) throws Exception {
        Flags flags;
        ReactorLoops loops;
        int port;
        try {
            flags = new Flags(args, FLAGS, 0, "reactorserver.", USAGE);
            port = flags.integer("port", 8080);
            SmcdIoHandlerConfig config = new SmcdIoHandlerConfig();
            String domain = flags.string("domain", null);
            if (domain != null) {
                config.setDomainDirectory(Paths.get(domain));
            }
            // The only transport-specific line: the loop resources passed to runOn.
            loops = ReactorLoops.create(ReactorLoops.transport(flags, USAGE), "reactor-http-server",
                    flags.integer("threads", 0), config);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            DisposableServer server = bind(loops, flags.string("host", "127.0.0.1"), port, System.out::println);
            // Ctrl-C: the JVM exits once the hooks return, so the hook waits until the loops have released the
            // SMC-D domain; nothing stays in /dev/shm.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.disposeNow(Duration.ofSeconds(5));
                loops.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block();
            }, "reactor-http-server-shutdown"));
            System.out.println("ReactorHttpServer listening on " + server.host() + ":" + server.port() + " over "
                    + ReactorLoops.transport(flags, USAGE) + "; Ctrl-C to stop");
            System.out.println("  http://" + server.host() + ":" + server.port() + "/hello");
            System.out.println("  http://" + server.host() + ":" + server.port() + "/bytes?size=N");
            server.onDispose().block();
        } finally {
            loops.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block();
        }
    }
}
