package io.smcd.examples.http;

import io.netty.channel.Channel;
import io.smcd.channel.SmcdIoHandlerConfig;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A Reactor Netty {@code HttpClient} on smcd's loops ({@code runOn(SmcdLoopResources.create(...))}), or on NIO with
 * {@code --transport nio}: a few GETs of one URL over one keep-alive connection, printing each status, body size and
 * the server's view of the connection ({@value HttpServerHandler#MODE_HEADER_NAME}), then the mode of the connection
 * as this side sees it.
 *
 * <pre>
 * java -cp examples-http/target/examples-http.jar io.smcd.examples.http.ReactorHttpClient http://127.0.0.1:8080/hello
 * </pre>
 *
 * <p>Tests run it with {@link #run} on loops they own. Thread-safe: each run keeps its own state.
 */
public final class ReactorHttpClient {
    static final String USAGE = String.join("\n",
            "usage: ReactorHttpClient [--transport smcd|nio] [--requests 3] [--threads 0] [--domain DIR] [URL]",
            "  --transport  smcd (SMC-D if the server is an smcd server on this host, else TCP) or nio; default smcd",
            "  --requests   GETs sent one after the other on one connection; default 3",
            "  --threads    event loop threads; default 0 (Reactor Netty's default)",
            "  --domain     SMC-D domain directory; default /dev/shm/smcd-<user> (or -Dsmcd.domain)",
            "  URL          default http://127.0.0.1:8080/hello",
            "Each flag can also be given as a system property, e.g. -Dreactorclient.requests=10.");
    private static final Set<String> FLAGS = Set.of("transport", "requests", "threads", "domain");
    private static final Duration BOUND = Duration.ofSeconds(30);

    private ReactorHttpClient() {
    }

    /**
     * GETs {@code url} {@code requests} times on {@code loops} over a pool of one connection, printing each response
     * and then each connection's mode to {@code out}; returns the connections.
     */
    public static List<Channel> run(ReactorLoops loops, String url, int requests, Consumer<String> out) {
        List<Channel> connections = new CopyOnWriteArrayList<>();
        ConnectionProvider pool = ConnectionProvider.create("reactor-http-client", 1);
        try {
            HttpClient client = HttpClient.create(pool)
                    .runOn(loops.loops, loops.preferNative)
                    .doOnConnected(connection -> {
                        if (!connections.contains(connection.channel())) {
                            connections.add(connection.channel());
                        }
                    });
            for (int i = 0; i < requests; i++) {
                String line = client.get().uri(url)
                        .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                                .map(bytes -> response.status().code() + ", " + bytes.length + " bytes, server sees "
                                        + response.responseHeaders().get(HttpServerHandler.MODE_HEADER_NAME)))
                        .block(BOUND);
                out.accept("GET " + url + " -> " + line);
            }
            for (Channel connection : connections) {
                out.accept("connection " + connection.localAddress() + " -> " + connection.remoteAddress() + ": "
                        + ConnectionMode.describe(connection));
            }
            return new ArrayList<>(connections);
        } finally {
            pool.disposeLater().block(BOUND);
        }
    }

    public static void main(String[] args) {
        Flags flags;
        ReactorLoops loops;
        int requests;
        try {
            flags = new Flags(args, FLAGS, 1, "reactorclient.", USAGE);
            requests = flags.integer("requests", 3);
            SmcdIoHandlerConfig config = new SmcdIoHandlerConfig();
            String domain = flags.string("domain", null);
            if (domain != null) {
                config.setDomainDirectory(Paths.get(domain));
            }
            // The only transport-specific line: the loop resources passed to runOn.
            loops = ReactorLoops.create(ReactorLoops.transport(flags, USAGE), "reactor-http-client",
                    flags.integer("threads", 0), config);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String url = flags.positional().isEmpty() ? "http://127.0.0.1:8080/hello" : flags.positional().get(0);
        try {
            run(loops, url, requests, System.out::println);
        } finally {
            loops.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block();
        }
    }
}
