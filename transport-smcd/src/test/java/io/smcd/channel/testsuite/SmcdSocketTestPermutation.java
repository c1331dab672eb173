package io.smcd.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.SocketTestPermutation;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import io.smcd.channel.SmcdChannelOption;
import io.smcd.channel.SmcdEventLoopGroup;
import io.smcd.channel.SmcdIoHandlerConfig;
import io.smcd.channel.SmcdMode;
import io.smcd.channel.SmcdServerSocketChannel;
import io.smcd.channel.SmcdSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The bootstraps Netty's transport testsuite runs smcd with, in the manner of Netty's
 * {@code EpollSocketTestPermutation}: four server/client combinations for the socket tests,
 * <ul>
 *   <li>{@code smcd-loopback}: smcd server and smcd client with default settings, which negotiate the loopback device;</li>
 *   <li>{@code smcd-copy}: smcd server and smcd client offering only the copy device;</li>
 *   <li>{@code smcd-server-nio-client}: an smcd server accepting a plain NIO client, which stays TCP;</li>
 *   <li>{@code nio-server-smcd-client}: an smcd client dialling a plain NIO server, which stays TCP;</li>
 * </ul>
 * and the smcd side alone for the tests that pair a Netty channel with a {@code java.net} socket.
 *
 * <p>Every smcd channel is created through a factory that adds a {@link SmcdModeRecorder} probe, so each test can
 * check afterwards that the channels which became active used the mode their combination must produce. All smcd
 * channels share one {@link SmcdEventLoopGroup} of {@value #SMCD_THREADS} threads on a private domain directory,
 * {@code /dev/shm/smcd-testsuite-<uuid>}, created when the group's loops start; {@link #shutdown()} stops the group
 * and removes the directory. NIO peers run on the testsuite's own NIO group, as Epoll's do. Only loopback addresses
 * are ever dialled.
 *
 * <p>System property {@value #COMBOS_PROPERTY} (comma-separated combination names) restricts the socket tests to some
 * combinations, to diagnose one at a time; all four run by default.
 *
 * <p>Thread-safe.
 */
final class SmcdSocketTestPermutation extends SocketTestPermutation {
    static final SmcdSocketTestPermutation INSTANCE = new SmcdSocketTestPermutation();

    static final String COMBOS_PROPERTY = "smcd.testsuite.combos";
    static final String SMCD_LOOPBACK = "smcd-loopback";
    static final String SMCD_COPY = "smcd-copy";
    static final String SMCD_SERVER_NIO_CLIENT = "smcd-server-nio-client";
    static final String NIO_SERVER_SMCD_CLIENT = "nio-server-smcd-client";
    /** Single-sided tests: the peer is a {@code java.net} socket or a server of the test's own, so always TCP. */
    static final String SMCD_ALONE = "smcd-alone";

    private static final int SMCD_THREADS = 2;
    private static final List<SmcdMode> COPY_ONLY = List.of(SmcdMode.SMCD_COPY);

    private static final Object LOCK = new Object();
    /** Guarded by {@link #LOCK}. */
    private static SmcdEventLoopGroup group;
    /** Guarded by {@link #LOCK}. */
    private static Path directory;

    private SmcdSocketTestPermutation() {
    }

    @Override
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socket() {
        List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> combos = new ArrayList<>();
        Set<String> selected = selectedCombos();
        addCombo(combos, selected, SMCD_LOOPBACK,
                () -> smcdServer(SMCD_LOOPBACK, SmcdMode.SMCD_LOOPBACK, null),
                () -> smcdClient(SMCD_LOOPBACK, SmcdMode.SMCD_LOOPBACK, null));
        addCombo(combos, selected, SMCD_COPY,
                () -> smcdServer(SMCD_COPY, SmcdMode.SMCD_COPY, COPY_ONLY),
                () -> smcdClient(SMCD_COPY, SmcdMode.SMCD_COPY, COPY_ONLY));
        addCombo(combos, selected, SMCD_SERVER_NIO_CLIENT,
                () -> smcdServer(SMCD_SERVER_NIO_CLIENT, SmcdMode.TCP, null),
                this::nioClient);
        addCombo(combos, selected, NIO_SERVER_SMCD_CLIENT,
                this::nioServer,
                () -> smcdClient(NIO_SERVER_SMCD_CLIENT, SmcdMode.TCP, null));
        if (combos.isEmpty()) {
            throw new IllegalArgumentException(COMBOS_PROPERTY + "=" + System.getProperty(COMBOS_PROPERTY)
                    + " names none of " + List.of(SMCD_LOOPBACK, SMCD_COPY, SMCD_SERVER_NIO_CLIENT,
                    NIO_SERVER_SMCD_CLIENT));
        }
        return combos;
    }

    /** The tests that dial a {@code java.net.ServerSocket} (or a server of their own) get an smcd client alone. */
    @Override
    public List<BootstrapFactory<Bootstrap>> clientSocket() {
        return List.of(() -> smcdClient(SMCD_ALONE, SmcdMode.TCP, null));
    }

    /** The tests that accept {@code java.net.Socket} clients get an smcd server alone. */
    @Override
    public List<BootstrapFactory<ServerBootstrap>> serverSocket() {
        return List.of(() -> smcdServer(SMCD_ALONE, SmcdMode.TCP, null));
    }

    @Override
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socketWithFastOpen() {
        return socket();
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> clientSocketWithFastOpen() {
        return clientSocket();
    }

    private static void addCombo(List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> combos, Set<String> selected,
            String name, Supplier<ServerBootstrap> server, Supplier<Bootstrap> client) {
        if (selected != null && !selected.contains(name)) {
            return;
        }
        combos.add(new BootstrapComboFactory<ServerBootstrap, Bootstrap>() {
            @Override
            public ServerBootstrap newServerInstance() {
                return server.get();
            }

            @Override
            public Bootstrap newClientInstance() {
                return client.get();
            }

            @Override
            public String toString() {
                return name;
            }
        });
    }

    private static Set<String> selectedCombos() {
        String value = System.getProperty(COMBOS_PROPERTY, "").trim();
        if (value.isEmpty()) {
            return null;
        }
        return Arrays.stream(value.split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * An smcd server whose accepted connections must end in {@code expected}; {@code devices} (null: default) is set
     * as the child option {@link SmcdChannelOption#SMCD_DEVICES}.
     */
    private static ServerBootstrap smcdServer(String combo, SmcdMode expected, List<SmcdMode> devices) {
        ServerBootstrap sb = new ServerBootstrap().group(group()).channelFactory(new ChannelFactory<ServerChannel>() {
            @Override
            public ServerChannel newChannel() {
                SmcdServerSocketChannel channel = new SmcdServerSocketChannel();
                SmcdModeRecorder.probeAcceptedChannels(channel, combo, expected);
                return channel;
            }

            @Override
            public String toString() {
                return "SmcdServerSocketChannel[" + combo + "]";
            }
        });
        if (devices != null) {
            sb.childOption(SmcdChannelOption.SMCD_DEVICES, devices);
        }
        return sb;
    }

    /** An smcd client that must end in {@code expected}; {@code devices} (null: default) as for {@link #smcdServer}. */
    private static Bootstrap smcdClient(String combo, SmcdMode expected, List<SmcdMode> devices) {
        Bootstrap cb = new Bootstrap().group(group()).channelFactory(new ChannelFactory<SmcdSocketChannel>() {
            @Override
            public SmcdSocketChannel newChannel() {
                SmcdSocketChannel channel = new SmcdSocketChannel();
                SmcdModeRecorder.probe(channel, combo, "client", expected);
                return channel;
            }

            @Override
            public String toString() {
                return "SmcdSocketChannel[" + combo + "]";
            }
        });
        if (devices != null) {
            cb.option(SmcdChannelOption.SMCD_DEVICES, devices);
        }
        return cb;
    }

    private ServerBootstrap nioServer() {
        return new ServerBootstrap().group(NIO_GROUP).channel(NioServerSocketChannel.class);
    }

    private Bootstrap nioClient() {
        return new Bootstrap().group(NIO_GROUP).channel(NioSocketChannel.class);
    }

    /** The shared smcd group, created on first use together with the name of its private domain directory. */
    static EventLoopGroup group() {
        synchronized (LOCK) {
            if (group == null) {
                directory = Paths.get("/dev/shm", "smcd-testsuite-" + UUID.randomUUID());
                Path dir = directory;
                // A backstop for a JVM that exits without running the testsuite's shutdown.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir), "smcd-testsuite-cleanup"));
                group = new SmcdEventLoopGroup(SMCD_THREADS,
                        new ThreadPerTaskExecutor(new DefaultThreadFactory("testsuite-smcd", true)),
                        new SmcdIoHandlerConfig().setDomainDirectory(directory));
            }
            return group;
        }
    }

    /** The domain directory of the shared group, or null if no test has used it yet. */
    static Path directory() {
        synchronized (LOCK) {
            return directory;
        }
    }

    /**
     * Shuts the shared group down and removes its domain directory.
     *
     * @return the files other than the domain's own ({@code gid}, {@code member-*}) that were still in the directory
     *         once the group had stopped: what the channels leaked; empty if the group was never used
     */
    static List<String> shutdown() throws InterruptedException {
        SmcdEventLoopGroup stopping;
        Path dir;
        synchronized (LOCK) {
            stopping = group;
            dir = directory;
            group = null;
        }
        INSTANCE.NIO_GROUP.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        if (stopping == null) {
            return List.of();
        }
        if (!stopping.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("smcd testsuite group did not terminate within 30 s: " + stopping);
        }
        List<String> leftovers = leftoverFiles(dir);
        deleteRecursively(dir);
        return leftovers;
    }

    /** Files in {@code dir} other than the domain's own {@code gid} and {@code member-*} files. */
    static List<String> leftoverFiles(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> !name.equals("gid") && !name.startsWith("member-"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove smcd testsuite domain " + dir, e);
        }
    }
}
