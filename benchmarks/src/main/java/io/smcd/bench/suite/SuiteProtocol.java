package io.smcd.bench.suite;

import io.smcd.bench.core.PeerProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The line protocol between {@link BenchSuite} (parent) and its two children per transport, {@link SuiteServer} and
 * {@link SuiteClient}, over their stdin and stdout, plus what both children share: argument parsing, answers, and
 * the watchdog that ends a child whose parent is gone.
 *
 * <pre>
 *  parent -&gt; server                    server -&gt; parent
 *                                       READY echo=&lt;addr&gt; data=&lt;addr&gt;
 *  HTTP-START                           HTTP-STARTED &lt;addr&gt;, or HTTP-STARTED none &lt;why&gt;
 *  HTTP-STOP                            HTTP-STOPPED
 *  EXIT (or end of stdin)               BYE
 *
 *  parent -&gt; client                    client -&gt; parent
 *                                       READY
 *  WARMUP &lt;seconds&gt;                     WARMED
 *  RUN &lt;scenario&gt; key=value...          RESULT &lt;{@link SuiteResult#toLine()}&gt;
 *  IDLE-OPEN &lt;connections&gt;              IDLE-OPENED &lt;note&gt;
 *  IDLE-CLOSE                           IDLE-CLOSED
 *  EXIT (or end of stdin)               BYE
 * </pre>
 * Addresses are {@code tcp:127.0.0.1:port} or {@code uds:/path} ({@link NettyTransport#render}). Answers start with
 * {@link PeerProcess#ANSWER_PREFIX}; a child that fails answers {@code ERROR <text>}.
 */
final class SuiteProtocol {
    static final String READY = "READY";
    static final String HTTP_START = "HTTP-START";
    static final String HTTP_STARTED = "HTTP-STARTED";
    static final String HTTP_STOP = "HTTP-STOP";
    static final String HTTP_STOPPED = "HTTP-STOPPED";
    static final String WARMUP = "WARMUP";
    static final String WARMED = "WARMED";
    static final String RUN = "RUN";
    static final String RESULT = "RESULT";
    static final String IDLE_OPEN = "IDLE-OPEN";
    static final String IDLE_OPENED = "IDLE-OPENED";
    static final String IDLE_CLOSE = "IDLE-CLOSE";
    static final String IDLE_CLOSED = "IDLE-CLOSED";
    static final String EXIT = "EXIT";
    static final String BYE = "BYE";

    /** Name prefix of every folder a run creates: {@code smcd-suite-<parent pid>-<random>}. */
    static final String RUN_DIRECTORY_PREFIX = "smcd-suite-";

    private static final PrintStream OUT = System.out;
    /** The parent as it was at start: once it dies the child is re-parented, so asking later would name another. */
    private static final ProcessHandle PARENT = ProcessHandle.current().parent().orElse(null);

    private SuiteProtocol() {
    }

    /** Sends one answer line to the parent. */
    static void answer(String keyword, String rest) {
        synchronized (OUT) {
            OUT.println(PeerProcess.ANSWER_PREFIX + keyword + (rest.isEmpty() ? "" : " " + rest));
            OUT.flush();
        }
    }

    /** {@code --name value} pairs into a map; every argument of a child is one. */
    static Map<String, String> arguments(String[] args) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("argument=" + args[i] + " is not --name");
            }
            map.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("argument=" + args[args.length - 1] + " has no value");
        }
        return map;
    }

    /** {@code key=value} words after a command into a map. */
    static Map<String, String> words(List<String> words) {
        Map<String, String> map = new HashMap<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("word=" + word + " is not key=value");
            }
            map.put(word.substring(0, equals), word.substring(equals + 1));
        }
        return map;
    }

    /**
     * Ends this child when its parent is gone (killed with SIGKILL, say): removes the run's folders, which only this
     * run uses, and halts. A parent that ends normally closes the child's stdin first, so this is the last resort.
     */
    static void watchParent(List<Path> runDirectories) {
        ProcessHandle parent = PARENT;
        Thread watchdog = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                if (parent == null || !isAlive(parent)) {
                    System.err.println("suite child: parent JVM is gone, cleaning up and exiting");
                    runDirectories.forEach(SuiteProtocol::deleteRunDirectory);
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "suite-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * After this child's stdin ended without {@link #EXIT}: if the parent is gone (killed outright), removes the
     * run's folders, which nothing else will; a living parent cleans up itself.
     */
    static void cleanUpIfOrphaned(List<Path> runDirectories) {
        if (PARENT == null || !isAlive(PARENT)) {
            runDirectories.forEach(SuiteProtocol::deleteRunDirectory);
        }
    }

    /**
     * Whether {@code process} runs. A process killed outright stays a zombie until its own parent reaps it, and
     * {@link ProcessHandle#isAlive()} counts a zombie as alive; here it counts as gone.
     */
    static boolean isAlive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            // No /proc (not Linux) or the process is gone: trust ProcessHandle, or nothing.
            return process.isAlive();
        }
    }

    /** Removes one of the run's folders with everything in it; refuses any folder the suite did not name. */
    static boolean deleteRunDirectory(Path directory) {
        if (directory == null) {
            return true;
        }
        if (!directory.getFileName().toString().startsWith(RUN_DIRECTORY_PREFIX)) {
            throw new IllegalArgumentException("directory=" + directory + " is not a suite run folder");
        }
        for (int attempt = 0; attempt < 3 && Files.exists(directory); attempt++) {
            try (Stream<Path> tree = Files.walk(directory)) {
                for (Path path : tree.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).collect(Collectors.toList())) {
                    try {
                        Files.deleteIfExists(path);
                    } catch (DirectoryNotEmptyException e) {
                        // A child created a file meanwhile: the next attempt takes it.
                    }
                }
            } catch (NoSuchFileException e) {
                // Removed meanwhile, e.g. by the smcd domain's last member: nothing left to do.
            } catch (IOException | java.io.UncheckedIOException e) {
                System.err.println("suite: cannot remove " + directory + " yet: " + e);
            }
        }
        return !Files.exists(directory);
    }
}
