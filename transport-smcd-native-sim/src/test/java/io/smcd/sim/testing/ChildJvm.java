package io.smcd.sim.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A second JVM running a {@code main} class from the test class path, talked to line by line over its
 * stdin and stdout. Its stderr goes to a temporary file, shown by {@link #stderr()}. {@link #close()}
 * kills it if it is still running and removes the file, so a failing test leaves no process behind.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path stderrFile;
    private final BufferedReader stdout;
    private final PrintWriter stdin;
    private final ExecutorService lineReader = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "child-jvm-stdout");
        thread.setDaemon(true);
        return thread;
    });

    private ChildJvm(Process process, Path stderrFile) {
        this.process = process;
        this.stderrFile = stderrFile;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM with the test class path. */
    public static ChildJvm start(Class<?> mainClass, List<String> jvmArgs, String... args) throws IOException {
        return start(List.of(), classPath(), mainClass, jvmArgs, args);
    }

    /**
     * Starts {@code mainClass} in a new JVM launched through {@code launcher} (e.g. a command that changes the user,
     * followed by the java command) with {@code classPath}.
     */
    public static ChildJvm start(List<String> launcher, String classPath, Class<?> mainClass, List<String> jvmArgs,
            String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path stderrFile = Files.createTempFile("smcd-child-", ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderrFile.toFile());
        return new ChildJvm(builder.start(), stderrFile);
    }

    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        return start(mainClass, List.of(), args);
    }

    /** The test class path, as the children get it. */
    public static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Sends one line to the child's stdin. */
    public void send(String line) {
        stdin.println(line);
    }

    /** Reads the child's next stdout line, failing after {@code timeout}; null at end of stream. */
    public String readLine(Duration timeout) throws IOException, TimeoutException {
        Future<String> line = lineReader.submit(stdout::readLine);
        try {
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            line.cancel(true);
            throw new TimeoutException("no line from child " + pid() + " within " + timeout + "; stderr:\n" + stderr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("reading child stdout failed", e.getCause());
        }
    }

    /** Reads lines until one starts with {@code prefix}, returning the rest of that line. */
    public String expect(String prefix, Duration timeout) throws IOException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = readLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (line == null) {
                throw new IOException("child " + pid() + " ended before '" + prefix + "'; stderr:\n" + stderr());
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
    }

    /** Kills the child with SIGKILL and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the child to exit by itself and returns its exit code. */
    public int waitFor(Duration timeout) throws InterruptedException, TimeoutException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("child " + pid() + " still running after " + timeout + "; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** What the child wrote to stderr so far. */
    public String stderr() {
        try {
            return Files.readString(stderrFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the child if still running; an interrupt while waiting for it is kept for the caller to see. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            lineReader.shutdownNow();
            stdin.close();
            try {
                Files.deleteIfExists(stderrFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
