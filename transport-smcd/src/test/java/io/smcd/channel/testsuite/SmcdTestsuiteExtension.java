package io.smcd.channel.testsuite;

import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.stats.StatsDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lifecycle of the testsuite's shared smcd group and its domain directory.
 * <ul>
 *   <li>After each test class, closes the smcd channels its tests left open, waits (up to {@value #SETTLE_SECONDS} s)
 *   for the closed connections and listeners to give back their DMBs and registry records, and fails the class if
 *   any file stays.</li>
 *   <li>Once, when the whole test run ends (a resource in the root context's store), shuts the group down, removes the
 *   domain directory and fails loudly if DMBs ({@code dmb-*}) or other files were still in it.</li>
 * </ul>
 *
 * <p>Thread-safe; JUnit calls it from the test thread.
 */
final class SmcdTestsuiteExtension implements BeforeAllCallback, AfterAllCallback {
    private static final long SETTLE_SECONDS = 10;
    /** Files already blamed on an earlier class, so that one leak fails one class. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(SmcdTestsuiteExtension.class))
                .getOrComputeIfAbsent(GroupShutdown.class, k -> new GroupShutdown(), GroupShutdown.class);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        Path dir = SmcdSocketTestPermutation.directory();
        if (dir == null) {
            return;
        }
        SmcdModeRecorder.closeLeftOpen();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        List<String> leaked = newLeftovers(dir);
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            leaked = newLeftovers(dir);
        }
        if (!leaked.isEmpty()) {
            REPORTED.addAll(leaked);
            throw new AssertionError(context.getDisplayName() + " left " + leaked.size() + " file(s) in " + dir
                    + " " + SETTLE_SECONDS + " s after its last test: " + leaked);
        }
    }

    /**
     * Files no test may leave, apart from the statistics file of this JVM's shared group, which lives as long as the
     * group does (the final shutdown checks that it is gone then).
     */
    private static List<String> newLeftovers(Path dir) {
        String ownStatistics = StatsDescriptor.FILE_PREFIX + ProcessIdentity.current().pid() + "-";
        List<String> leftovers = new ArrayList<>(SmcdSocketTestPermutation.leftoverFiles(dir));
        leftovers.removeIf(name -> name.startsWith(ownStatistics));
        leftovers.removeAll(REPORTED);
        return leftovers;
    }

    /** Closed by JUnit when the root context closes, after the last test class. */
    private static final class GroupShutdown implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            Path dir = SmcdSocketTestPermutation.directory();
            List<String> leftovers = SmcdSocketTestPermutation.shutdown();
            System.out.println(SmcdModeRecorder.summary());
            if (!leftovers.isEmpty()) {
                long dmbs = leftovers.stream().filter(name -> name.startsWith("dmb-")).count();
                String message = "smcd testsuite: " + dmbs + " DMB(s) and " + (leftovers.size() - dmbs)
                        + " other file(s) were left in " + dir + " after the group shut down (removed now): "
                        + leftovers;
                System.err.println(message);
                throw new AssertionError(message);
            }
        }
    }
}
