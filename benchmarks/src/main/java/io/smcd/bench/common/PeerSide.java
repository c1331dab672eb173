package io.smcd.bench.common;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM's side of {@link PeerProcess}: its answer lines, its exit on failure, and the watchdog that ends it
 * when the parent is gone. Thread-safe: answers from several threads never interleave.
 */
public final class PeerSide {
    private static final PrintStream OUT = System.out;
    /** The parent as it was at start: once it dies the child is re-parented, so asking later would name another. */
    private static final ProcessHandle PARENT = ProcessHandle.current().parent().orElse(null);

    /** A child's work, which may fail with anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private PeerSide() {
    }

    /** Sends one answer line, {@code keyword} and the rest (if not empty), to the parent. */
    public static void answer(String keyword, String rest) {
        synchronized (OUT) {
            OUT.print(PeerProcess.ANSWER_PREFIX + keyword + (rest.isEmpty() ? "" : " " + rest) + "\n");
            OUT.flush();
        }
    }

    /** Runs a child's {@code body} and exits: 0 once it returns, 1 after answering {@code ERROR <why>} if it throws. */
    public static void main(Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            answer(PeerProcess.ERROR, String.valueOf(t).replace('\n', ' '));
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * Ends this child when its parent is gone (killed with SIGKILL, say): runs {@code orphaned}, then halts. A parent
     * that ends normally closes the child's stdin first, so this is the last resort.
     */
    public static void watchParent(Runnable orphaned) {
        Thread watchdog = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                if (!parentAlive()) {
                    System.err.println("peer: parent JVM is gone, cleaning up and exiting");
                    orphaned.run();
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "peer-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Whether the JVM that started this one still runs. */
    public static boolean parentAlive() {
        return PARENT != null && isAlive(PARENT);
    }

    /**
     * Whether {@code process} runs. A process killed outright stays a zombie until its own parent reaps it, and
     * {@link ProcessHandle#isAlive()} counts a zombie as alive; here it counts as gone.
     */
    public static boolean isAlive(ProcessHandle process) {
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
}
