package io.smcd.bench.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM as the parent sees it: started with this JVM's class path, spoken to in lines (one command per line on
 * its stdin; answers on its stdout start with {@link #ANSWER_PREFIX}, see {@link PeerSide}), its stderr inherited. A
 * watchdog kills it when a phase overruns its bound, which also ends a parent blocked on a TCP read. {@link #close()} always leaves no process behind.
 *
 * <p>Thread-safety: {@link #send}, {@link #expect} and {@link #close} belong to the one benchmark
 * thread; {@link #liveness()} and {@link #destroyNow()} may be called from any thread.
 */
public final class PeerProcess implements AutoCloseable {
    /** What starts every answer line of a child; other lines on its stdout are passed on to stderr. */
    public static final String ANSWER_PREFIX = "@smcd ";
    /** The first answer of every child, once it is ready for commands. */
    public static final String READY = "READY";
    /** The command that makes a child end; it answers {@link #BYE} before it exits. */
    public static final String EXIT = "EXIT";
    public static final String BYE = "BYE";
    /** The answer keyword with which a child reports a failure: {@code ERROR <text>}. */
    public static final String ERROR = "ERROR";

    private static final String END_OF_STREAM = new String("end of stream");

    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService watchdog;
    private volatile boolean killedByWatchdog;

    private PeerProcess(Process process) {
        this.process = process;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "peer-watchdog"));
        daemon(this::pumpStdout, "peer-stdout").start();
    }

    /** Starts {@code mainClass} in a new JVM with {@code jvmOptions} and this JVM's class path. */
    public static PeerProcess start(List<String> jvmOptions, Class<?> mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new PeerProcess(process);
    }

    public long pid() {
        return process.pid();
    }

    /** Sends one command line. */
    public void send(String line) throws IOException {
        stdin.println(line);
        if (stdin.checkError()) {
            throw new IOException("cannot write to peer JVM pid=" + pid() + ": " + describeExit());
        }
    }

    /**
     * Waits for the answer {@code keyword} and returns the rest of its line (empty if none). Lines without
     * the protocol prefix are passed on to stderr.
     *
     * @throws IOException if the peer reports an error, exits, or stays silent for {@code timeout}
     */
    public String expect(String keyword, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line;
            try {
                line = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + keyword, e);
            }
            if (line == null) {
                throw new IOException("no " + keyword + " from peer JVM pid=" + pid() + " within " + timeout);
            }
            if (line == END_OF_STREAM) {
                throw new IOException("peer JVM pid=" + pid() + " closed its stdout before " + keyword + ": " + describeExit());
            }
            String[] words = line.split(" ", 2);
            String rest = words.length > 1 ? words[1] : "";
            if (words[0].equals(keyword)) {
                return rest;
            }
            if (words[0].equals(ERROR)) {
                throw new IOException("peer JVM pid=" + pid() + " failed: " + rest);
            }
            throw new IOException("peer JVM pid=" + pid() + " answered '" + line + "', expected " + keyword);
        }
    }

    /** Whether the peer JVM still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Fails once the peer has exited, so that a spinning wait for it ends. */
    public Liveness liveness() {
        return () -> {
            if (!process.isAlive()) {
                throw new IOException("peer JVM pid=" + pid() + " is gone: " + describeExit());
            }
        };
    }

    /** Kills the peer unless the returned future is cancelled within {@code limit}. */
    public ScheduledFuture<?> killAfter(Duration limit) {
        return watchdog.schedule(() -> {
            killedByWatchdog = true;
            process.destroyForcibly();
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits for the peer to exit by itself, as it does after {@link #EXIT}; returns its exit code. */
    public int awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("peer JVM pid=" + pid() + " still running " + timeout + " after EXIT");
        }
        return process.exitValue();
    }

    /** Kills the peer at once and waits (bounded) until it is gone. Safe from a shutdown hook. */
    public void destroyNow() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the peer: closing its stdin makes a healthy peer exit; one that does not within a few seconds
     * is killed. Always waits until the process is gone.
     */
    @Override
    public void close() {
        try {
            stdin.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                destroyNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyNow();
        } finally {
            watchdog.shutdownNow();
        }
    }

    private String describeExit() {
        if (process.isAlive()) {
            return "still running";
        }
        return "exit code " + process.exitValue() + (killedByWatchdog ? " (killed by the watchdog after a timeout)" : "");
    }

    private void pumpStdout() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(ANSWER_PREFIX)) {
                    answers.add(line.substring(ANSWER_PREFIX.length()));
                } else {
                    System.err.println("[peer] " + line);
                }
            }
        } catch (IOException e) {
            System.err.println("[peer] stdout unreadable: " + e);
        } finally {
            answers.add(END_OF_STREAM);
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
