package io.smcd.examples.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.concurrent.Future;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A Netty HTTP/1.1 load generator in the manner of wrk: a number of keep-alive connections, each with one request in
 * flight, for a fixed time (or a fixed number of requests), over smcd (on the devices it is given), NIO, epoll or
 * io_uring, to host:port or to a Unix domain socket (NIO, epoll). It prints requests per
 * second and latency percentiles as wrk does, and how each connection carried its data.
 *
 * <pre>
 * java -cp examples-http/target/examples-http.jar io.smcd.examples.http.HttpLoadGenerator \
 *     --transport smcd --connections 16 --threads 2 --duration 10s http://127.0.0.1:8080/hello
 * </pre>
 *
 * <p>The benchmarks run it in-process: {@code HttpLoadGenerator.run(new Options()...)} returns a {@link Result}. An
 * instance runs once; {@link #stop()} may be called from any thread (a shutdown hook) to end the run early.
 */
public final class HttpLoadGenerator {
    static final String USAGE = String.join("\n",
            "usage: HttpLoadGenerator [flags] [URL]",
            "  URL            http://host:port/path?query; default http://127.0.0.1:8080/hello",
            "  --transport    smcd (SMC-D to an smcd server on this host, else TCP), nio, epoll or io_uring;",
            "                 default smcd",
            "  --connections  connections kept open, one request in flight each; default 10",
            "  --threads      event loop threads; default 2",
            "  --duration     test time, e.g. 500ms, 10s, 2m; default 10s",
            "  --requests     stop after this many requests even if time remains; default 0 (no limit)",
            "  --timeout      a response slower than this counts as a timeout error; default 2s",
            "  --host, --port, --path  the parts of URL, when no URL is given",
            "  --domain       SMC-D domain directory; default /dev/shm/smcd-<user> (or -Dsmcd.domain)",
            "  --smcd-devices SMC-D devices smcd connections may use, in order of preference: loopback, copy or",
            "                 loopback,copy; default the transport's (loopback, then copy)",
            "  --unix-socket  connect to this Unix domain socket instead of host:port (transports nio and epoll);",
            "                 the URL's host and port then only fill the Host header",
            "Each flag can also be given as a system property, e.g. -Dloadgen.connections=16.");
    private static final Set<String> FLAGS = Set.of("transport", "connections", "threads", "duration", "requests",
            "timeout", "host", "port", "path", "url", "domain", "smcd-devices", "unix-socket");

    private final Options options;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final HttpHeaders requestHeaders;
    private volatile boolean measuring;

    /** A generator for one run with a copy of {@code options}. */
    public HttpLoadGenerator(Options options) {
        this.options = options.copy();
        this.requestHeaders = new ReadOnlyHttpHeaders(true,
                HttpHeaderNames.HOST, this.options.hostHeader(),
                HttpHeaderNames.USER_AGENT, "smcd-HttpLoadGenerator",
                HttpHeaderNames.ACCEPT, "*/*");
    }

    /** Runs a test with {@code options} and returns its result. */
    public static Result run(Options options) throws IOException, InterruptedException {
        return new HttpLoadGenerator(options).run();
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        HttpLoadGenerator generator = new HttpLoadGenerator(options);
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C: end the run early; run() then closes the connections and shuts its group down (nothing stays in
        // /dev/shm), and the JVM must not exit before that.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            generator.stop();
            try {
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "load-generator-shutdown"));
        boolean failed = false;
        try {
            System.out.println("Running " + formatDuration(options.duration) + " test @ " + options.target());
            System.out.println(generator.run().format());
        } catch (IOException e) {
            System.err.println("HttpLoadGenerator: " + e.getMessage());
            failed = true;
        } finally {
            done.countDown();
        }
        if (failed) {
            System.exit(1);
        }
    }

    static Options parse(String[] args) {
        Flags flags = new Flags(args, FLAGS, 1, "loadgen.", USAGE);
        Options options = new Options()
                .transport(flags.transport().flagName())
                .connections(flags.integer("connections", 10))
                .threads(flags.integer("threads", 2))
                .duration(flags.duration("duration", Duration.ofSeconds(10)))
                .maxRequests(flags.number("requests", 0))
                .timeout(flags.duration("timeout", Duration.ofSeconds(2)));
        String url = flags.positional().isEmpty() ? flags.string("url", null) : flags.positional().get(0);
        if (url != null) {
            options.url(url);
        } else {
            options.host(flags.string("host", "127.0.0.1"))
                    .port(flags.integer("port", 8080))
                    .path(flags.string("path", "/hello"));
        }
        String domain = flags.string("domain", null);
        if (domain != null) {
            options.smcdConfig(new SmcdIoHandlerConfig().setDomainDirectory(Paths.get(domain)));
        }
        String devices = flags.string("smcd-devices", null);
        if (devices != null) {
            options.smcdDevices(parseDevices(devices));
        }
        String unixSocket = flags.string("unix-socket", null);
        if (unixSocket != null) {
            options.unixSocket(Paths.get(unixSocket));
        }
        return options;
    }

    /** {@code loopback}, {@code copy} or both, comma-separated, as SMC-D modes. */
    static List<SmcdMode> parseDevices(String devices) {
        List<SmcdMode> modes = new ArrayList<>();
        for (String device : devices.split(",")) {
            switch (device.trim().toLowerCase(Locale.ROOT)) {
                case "loopback":
                    modes.add(SmcdMode.SMCD_LOOPBACK);
                    break;
                case "copy":
                    modes.add(SmcdMode.SMCD_COPY);
                    break;
                default:
                    throw new IllegalArgumentException("--smcd-devices=" + devices + " must be loopback, copy or both\n" + USAGE);
            }
        }
        return modes;
    }

    /** Ends the run early, as if its time were up. Thread-safe; does nothing once the run ended. */
    public void stop() {
        stopped.countDown();
    }

    /**
     * Connects all connections, sends requests for the test time (or until the request budget is spent), closes the
     * connections and returns the result. Shuts down the group it made; leaves a group from {@link Options#group} as
     * it was.
     *
     * @throws IOException if no connection could be opened
     */
    public Result run() throws IOException, InterruptedException {
        EventLoopGroup group = options.group;
        Class<? extends Channel> channelClass = options.channelClass;
        if (group == null) {
            Transport transport = Transport.parse(options.transport);
            channelClass = options.unixSocket != null ? transport.domainSocketChannelClass() : transport.socketChannelClass();
            group = transport.newGroup(options.threads,
                    options.smcdConfig != null ? options.smcdConfig : new SmcdIoHandlerConfig());
        }
        List<LoadConnection> connections = new ArrayList<>();
        long elapsed;
        try {
            long highest = Math.max(TimeUnit.SECONDS.toNanos(60), options.timeout.toNanos() * 2);
            for (int i = 0; i < options.connections; i++) {
                connections.add(new LoadConnection(this, group.next(), channelClass, options, highest));
            }
            connectAll(connections);
            long start = System.nanoTime();
            measuring = true;
            for (LoadConnection connection : connections) {
                connection.start();
            }
            stopped.await(options.duration.toNanos(), TimeUnit.NANOSECONDS);
            measuring = false;
            elapsed = System.nanoTime() - start;
        } finally {
            measuring = false;
            stopAll(connections);
            if (options.group == null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
        // Each connection's statistics were last written on its event loop before its stop future completed.
        return new Result(options, elapsed, connections);
    }

    private void connectAll(List<LoadConnection> connections) throws IOException, InterruptedException {
        List<Future<Void>> attempts = new ArrayList<>();
        for (LoadConnection connection : connections) {
            attempts.add(connection.connect());
        }
        Throwable cause = null;
        int connected = 0;
        for (Future<Void> attempt : attempts) {
            if (!attempt.await(options.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                cause = new IOException("connect timed out after " + options.timeout);
            } else if (attempt.isSuccess()) {
                connected++;
            } else {
                cause = attempt.cause();
            }
        }
        if (connected == 0) {
            throw new IOException("cannot connect to " + options.target() + ": " + cause, cause);
        }
    }

    private static void stopAll(List<LoadConnection> connections) throws InterruptedException {
        List<Future<Void>> closes = new ArrayList<>();
        for (LoadConnection connection : connections) {
            closes.add(connection.stop());
        }
        for (Future<Void> close : closes) {
            close.await(10, TimeUnit.SECONDS);
        }
    }

    boolean isMeasuring() {
        return measuring;
    }

    /** Takes one request from the budget; false once it is spent. */
    boolean tryIssue() {
        return options.maxRequests == 0 || issued.incrementAndGet() <= options.maxRequests;
    }

    /** One issued request completed or failed; the last one of the budget ends the run. */
    void requestFinished() {
        if (options.maxRequests != 0 && finished.incrementAndGet() == options.maxRequests) {
            stop();
        }
    }

    FullHttpRequest newRequest() {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, options.path, Unpooled.EMPTY_BUFFER,
                requestHeaders, EmptyHttpHeaders.INSTANCE);
    }

    static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** What to load and how hard. Fluent setters; not thread-safe, and copied by each run. */
    public static final class Options {
        String transport = "smcd";
        String host = "127.0.0.1";
        int port = 8080;
        String path = "/hello";
        int connections = 10;
        int threads = 2;
        Duration duration = Duration.ofSeconds(10);
        long maxRequests;
        Duration timeout = Duration.ofSeconds(2);
        SmcdIoHandlerConfig smcdConfig;
        List<SmcdMode> smcdDevices;
        Path unixSocket;
        EventLoopGroup group;
        Class<? extends Channel> channelClass;

        Options copy() {
            Options copy = new Options();
            copy.transport = transport;
            copy.host = host;
            copy.port = port;
            copy.path = path;
            copy.connections = connections;
            copy.threads = threads;
            copy.duration = duration;
            copy.maxRequests = maxRequests;
            copy.timeout = timeout;
            copy.smcdConfig = smcdConfig;
            copy.smcdDevices = smcdDevices;
            copy.unixSocket = unixSocket;
            copy.group = group;
            copy.channelClass = channelClass;
            return copy;
        }

        /** {@code smcd}, {@code nio}, {@code epoll} or {@code io_uring}; ignored when a {@link #group} is given. */
        public Options transport(String transport) {
            this.transport = Transport.parse(transport).flagName();
            return this;
        }

        /** Host, port, path and query from an {@code http://} URL. */
        public Options url(String url) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("url=" + url + " is not a URL: " + e.getMessage(), e);
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("url=" + url + " must be http://host[:port][/path]");
            }
            String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return host(uri.getHost())
                    .port(uri.getPort() < 0 ? 80 : uri.getPort())
                    .path(uri.getRawQuery() == null ? rawPath : rawPath + "?" + uri.getRawQuery());
        }

        public Options host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Options port(int port) {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port=" + port + " must be in [1, 65535]");
            }
            this.port = port;
            return this;
        }

        /** The request target, e.g. {@code /hello} or {@code /bytes?size=1024}. */
        public Options path(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path=" + path + " must start with /");
            }
            this.path = path;
            return this;
        }

        public Options connections(int connections) {
            if (connections <= 0) {
                throw new IllegalArgumentException("connections=" + connections + " must be > 0");
            }
            this.connections = connections;
            return this;
        }

        /** Event loop threads of the group a run makes (0: Netty's default); ignored when a group is given. */
        public Options threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads=" + threads + " must be >= 0");
            }
            this.threads = threads;
            return this;
        }

        public Options duration(Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration=" + duration + " must be > 0");
            }
            this.duration = duration;
            return this;
        }

        /** Stop after this many requests (0: only the duration ends the run). */
        public Options maxRequests(long maxRequests) {
            if (maxRequests < 0) {
                throw new IllegalArgumentException("maxRequests=" + maxRequests + " must be >= 0");
            }
            this.maxRequests = maxRequests;
            return this;
        }

        /** A response slower than this is a timeout error and the connection is reopened; also the connect timeout. */
        public Options timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout=" + timeout + " must be > 0");
            }
            this.timeout = timeout;
            return this;
        }

        /** The smcd settings (such as the domain directory) of the group a run makes with transport smcd. */
        public Options smcdConfig(SmcdIoHandlerConfig smcdConfig) {
            this.smcdConfig = smcdConfig;
            return this;
        }

        /**
         * The SMC-D devices smcd connections may use, in order of preference ({@link SmcdChannelOption#SMCD_DEVICES}):
         * {@code List.of(SmcdMode.SMCD_COPY)} makes every SMC-D connection use the copy device. Ignored by other
         * channels; default the transport's.
         */
        public Options smcdDevices(List<SmcdMode> smcdDevices) {
            if (smcdDevices.isEmpty() || smcdDevices.size() != Set.copyOf(smcdDevices).size()
                    || !smcdDevices.stream().allMatch(SmcdMode::isSmcd)) {
                throw new IllegalArgumentException("smcdDevices=" + smcdDevices + " must be distinct SMC-D devices");
            }
            this.smcdDevices = List.copyOf(smcdDevices);
            return this;
        }

        /**
         * Connects to the Unix domain socket at {@code path} instead of host and port, which then only fill the Host
         * header: with transport {@code nio} or {@code epoll}, or a {@link #group} with a domain-socket channel class.
         */
        public Options unixSocket(Path path) {
            this.unixSocket = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Runs on {@code group} with {@code channelClass} instead of making a group; the caller shuts it down. */
        public Options group(EventLoopGroup group, Class<? extends Channel> channelClass) {
            this.group = Objects.requireNonNull(group, "group");
            this.channelClass = Objects.requireNonNull(channelClass, "channelClass");
            return this;
        }

        String hostHeader() {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return port == 80 ? h : h + ":" + port;
        }

        String url() {
            return "http://" + hostHeader() + path;
        }

        /** The URL, and the Unix socket it is requested over if any, as the reports name the target. */
        String target() {
            return unixSocket == null ? url() : url() + " via unix:" + unixSocket;
        }

        /** Where a connection of {@code channelClass} connects: host and port, or the Unix socket in its address type. */
        SocketAddress remoteAddress(Class<? extends Channel> channelClass) {
            if (unixSocket == null) {
                return InetSocketAddress.createUnresolved(host, port);
            }
            return DomainSocketChannel.class.isAssignableFrom(channelClass) ? new DomainSocketAddress(unixSocket.toFile())
                    : UnixDomainSocketAddress.of(unixSocket);
        }
    }

    /** The outcome of a run, as wrk reports it. Immutable and thread-safe. */
    public static final class Result {
        private final String url;
        private final String transport;
        private final int connections;
        private final int threads;
        private final long elapsedNanos;
        private final Histogram latency;
        private final long requests;
        private final long errorResponses;
        private final long bytesRead;
        private final long connectErrors;
        private final long readErrors;
        private final long writeErrors;
        private final long timeouts;
        private final Map<String, Integer> modes;
        private final double withinStdev;

        Result(Options options, long elapsedNanos, List<LoadConnection> connections) {
            this.url = options.target();
            this.transport = options.group != null ? options.channelClass.getSimpleName() : options.transport;
            this.connections = options.connections;
            this.threads = options.group != null ? loops(options.group) : options.threads;
            this.elapsedNanos = elapsedNanos;
            Histogram all = null;
            long requests = 0;
            long errorResponses = 0;
            long bytesRead = 0;
            long connectErrors = 0;
            long readErrors = 0;
            long writeErrors = 0;
            long timeouts = 0;
            Map<String, Integer> modes = new TreeMap<>();
            for (LoadConnection c : connections) {
                if (all == null) {
                    all = new Histogram(c.latencyNanos.getHighestTrackableValue(), 3);
                }
                all.add(c.latencyNanos);
                requests += c.requests;
                errorResponses += c.errorResponses;
                bytesRead += c.bytesRead;
                connectErrors += c.connectErrors;
                readErrors += c.readErrors;
                writeErrors += c.writeErrors;
                timeouts += c.timeouts;
                c.modes.forEach((mode, count) -> modes.merge(mode, count, Integer::sum));
            }
            this.latency = all;
            this.requests = requests;
            this.errorResponses = errorResponses;
            this.bytesRead = bytesRead;
            this.connectErrors = connectErrors;
            this.readErrors = readErrors;
            this.writeErrors = writeErrors;
            this.timeouts = timeouts;
            this.modes = Collections.unmodifiableMap(modes);
            this.withinStdev = withinOneStdev(all);
        }

        private static int loops(EventLoopGroup group) {
            int n = 0;
            for (Object ignored : group) {
                n++;
            }
            return n;
        }

        private static double withinOneStdev(Histogram h) {
            if (h.getTotalCount() == 0) {
                return 0;
            }
            double mean = h.getMean();
            double stdev = h.getStdDeviation();
            long within = 0;
            for (HistogramIterationValue v : h.recordedValues()) {
                if (Math.abs(v.getValueIteratedTo() - mean) <= stdev) {
                    within += v.getCountAtValueIteratedTo();
                }
            }
            return 100.0 * within / h.getTotalCount();
        }

        /** Completed requests within the test time (any status). */
        public long requests() {
            return requests;
        }

        /** Responses with a status of 400 or more (wrk's "Non-2xx or 3xx responses"). */
        public long errorResponses() {
            return errorResponses;
        }

        /** Connect, read, write and timeout errors together. */
        public long socketErrors() {
            return connectErrors + readErrors + writeErrors + timeouts;
        }

        public long connectErrors() {
            return connectErrors;
        }

        public long readErrors() {
            return readErrors;
        }

        public long writeErrors() {
            return writeErrors;
        }

        public long timeouts() {
            return timeouts;
        }

        /** Bytes read from the sockets, headers included. */
        public long bytesRead() {
            return bytesRead;
        }

        public long elapsedNanos() {
            return elapsedNanos;
        }

        public double requestsPerSecond() {
            return requests * 1e9 / elapsedNanos;
        }

        public double bytesPerSecond() {
            return bytesRead * 1e9 / elapsedNanos;
        }

        /** Latency at {@code percentile} (0 to 100) in nanoseconds. */
        public long latencyPercentileNanos(double percentile) {
            return latency.getValueAtPercentile(percentile);
        }

        public double latencyMeanNanos() {
            return latency.getMean();
        }

        public double latencyStdDeviationNanos() {
            return latency.getStdDeviation();
        }

        public long latencyMaxNanos() {
            return latency.getMaxValue();
        }

        /** A copy of the latency histogram, in nanoseconds. */
        public Histogram latencyHistogram() {
            return latency.copy();
        }

        /**
         * How the connections carried their data: {@code SMC-D (SMCD_LOOPBACK)}, {@code TCP (fallback: ...)},
         * {@code TCP (nio)}, ... to the number of connections (reconnections included) that did.
         */
        public Map<String, Integer> modes() {
            return modes;
        }

        /** The report in wrk's layout (sizes in 1024-based units as wrk prints them). */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "  %d threads and %d connections over %s%n", threads, connections,
                    transport));
            modes.forEach((mode, count) -> sb.append(String.format(Locale.ROOT, "    %d x %s%n", count, mode)));
            sb.append(String.format(Locale.ROOT, "  Thread Stats   Avg      Stdev     Max   +/- Stdev%n"));
            sb.append(String.format(Locale.ROOT, "    Latency %9s %9s %9s %8.2f%%%n", time(latency.getMean()),
                    time(latency.getStdDeviation()), time(latency.getMaxValue()), withinStdev));
            sb.append(String.format(Locale.ROOT, "  Latency Distribution%n"));
            for (double p : new double[] {50, 75, 90, 99, 99.9}) {
                sb.append(String.format(Locale.ROOT, "  %6s%% %9s%n", p == Math.rint(p) ? String.valueOf((int) p)
                        : String.valueOf(p), time(latency.getValueAtPercentile(p))));
            }
            sb.append(String.format(Locale.ROOT, "  %d requests in %s, %s read%n", requests, time(elapsedNanos),
                    bytes(bytesRead)));
            if (socketErrors() > 0) {
                sb.append(String.format(Locale.ROOT, "  Socket errors: connect %d, read %d, write %d, timeout %d%n",
                        connectErrors, readErrors, writeErrors, timeouts));
            }
            if (errorResponses > 0) {
                sb.append(String.format(Locale.ROOT, "  Non-2xx or 3xx responses: %d%n", errorResponses));
            }
            sb.append(String.format(Locale.ROOT, "Requests/sec: %10.2f%n", requestsPerSecond()));
            sb.append(String.format(Locale.ROOT, "Transfer/sec: %10s", bytes(bytesPerSecond())));
            return sb.toString();
        }

        @Override
        public String toString() {
            return "Running test @ " + url + "\n" + format();
        }

        private static String time(double nanos) {
            if (nanos < 1e6) {
                return String.format(Locale.ROOT, "%.2fus", nanos / 1e3);
            }
            if (nanos < 1e9) {
                return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
            }
            return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
        }

        private static String bytes(double n) {
            String[] units = {"B", "KB", "MB", "GB", "TB"};
            int unit = 0;
            while (n >= 1024 && unit < units.length - 1) {
                n /= 1024;
                unit++;
            }
            return String.format(Locale.ROOT, "%.2f%s", n, units[unit]);
        }
    }
}
