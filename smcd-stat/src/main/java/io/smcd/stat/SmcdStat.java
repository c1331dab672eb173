package io.smcd.stat;

import io.smcd.sim.SmcdDomain;
import io.smcd.sim.stats.ProcessStats;
import io.smcd.sim.stats.StatsFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smcd-stat}: the live smcd processes of a shared-memory domain, their connections and counters, read from the
 * statistics files they publish, as {@code smcss} and {@code smcd stats} show kernel SMC sockets. It only maps those
 * files read-only, so it never disturbs a connection; {@code --prune} removes the files of dead processes.
 *
 * <p>Not thread-safe: one invocation per instance.
 */
@Command(name = "smcd-stat", mixinStandardHelpOptions = true, version = "smcd-stat 0.1",
        description = "Shows the smcd processes of an SMC-D domain, their connections (as smcss does) and counters.")
public final class SmcdStat implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--domain", paramLabel = "DIR",
            description = "Domain directory (default: the smcd.domain property, else /dev/shm/smcd-<user>).")
    private Path domain;

    @Option(names = {"-d", "--smcd"}, description = "SMC-D connections only, with DMB tokens, sizes and cursors (smcss -D).")
    private boolean smcdOnly;

    @Option(names = {"-c", "--counters"}, description = "Also print each process's counters (non-zero ones, all with -a).")
    private boolean counters;

    @Option(names = {"-a", "--all"}, description = "Zero counters too, and the files of processes that are gone.")
    private boolean all;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    private boolean json;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "1", paramLabel = "SECONDS",
            description = "Refresh every SECONDS (default 1) until interrupted.")
    private Double watchSeconds;

    @Option(names = "--iterations", paramLabel = "N", description = "With --watch: stop after N refreshes.")
    private int iterations;

    @Option(names = "--prune", description = "Remove the statistics files of processes that are gone, then show the rest.")
    private boolean prune;

    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SmcdStat()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path directory = domain != null ? domain : SmcdDomain.defaultDirectory();
        if (prune && Files.isDirectory(directory)) {
            int removed = StatsFiles.sweep(directory);
            if (!json) {
                out.println("pruned " + removed + " statistics file" + (removed == 1 ? "" : "s") + " of dead processes");
            }
        }
        for (int round = 1; ; round++) {
            if (watchSeconds != null && !json) {
                // Home and clear, as watch(1) does.
                out.print("\033[H\033[2J");
            }
            print(out, directory);
            out.flush();
            if (watchSeconds == null || (iterations > 0 && round >= iterations)) {
                return 0;
            }
            Thread.sleep((long) (watchSeconds * 1000));
        }
    }

    private void print(PrintWriter out, Path directory) throws IOException {
        List<ProcessStats> processes = Files.isDirectory(directory) ? StatsFiles.readAll(directory) : List.of();
        if (!all) {
            processes = processes.stream().filter(ProcessStats::alive).toList();
        }
        if (json) {
            out.println(StatJson.render(directory, processes, smcdOnly, counters || all, all));
        } else {
            StatTable.render(out, directory, processes, smcdOnly, counters || all, all);
        }
    }
}
