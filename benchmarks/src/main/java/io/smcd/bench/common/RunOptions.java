package io.smcd.bench.common;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The options every cross-process benchmark shares (a picocli mixin): the timing of each case, the stream check, the
 * tmpfs of the private smcd domain and the wait for a quiet host. Defaults come from the command's table
 * ({@link Cli#parse}). Filled once by the parser; read-only after.
 */
public final class RunOptions {
    @Option(names = "--warmup-s", paramLabel = "<s>", description = "warm-up per case, seconds")
    double warmupSeconds;
    @Option(names = "--duration-s", paramLabel = "<s>", description = "measured window per case, seconds")
    double durationSeconds;
    @Option(names = "--verify", paramLabel = "<sampled|full>", description = "stream content check: sampled, every 4 KiB stamp and "
            + "the ends of each read, or full, every byte")
    Verify verify;
    @Option(names = "--shm", paramLabel = "<dir>", description = "tmpfs for the run's private smcd domain")
    Path shm;
    @Option(names = "--quiet-wait-s", paramLabel = "<s>", description = "before each case, wait up to this long until other "
            + "processes use little CPU (0: start at once; for shared hosts)")
    double quietWaitSeconds;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    /** How much of a stream the receiver compares with what was sent. */
    public enum Verify {
        /** Every 4 KiB stamp and the first and last byte of each read. */
        SAMPLED,
        /** Every byte. */
        FULL;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Checks the ranges; {@code minDuration} is the shortest measured window, in seconds. */
    public void check(double minDuration) {
        Cli.check("warmup-s", warmupSeconds, 0, 3600);
        Cli.check("duration-s", durationSeconds, minDuration, 3600);
        Cli.check("quiet-wait-s", quietWaitSeconds, 0, 3600);
    }

    public Duration warmup() {
        return Cli.seconds(warmupSeconds);
    }

    public Duration duration() {
        return Cli.seconds(durationSeconds);
    }

    public boolean fullVerify() {
        return verify == Verify.FULL;
    }

    public Path shmBase() {
        return shm;
    }

    public Duration quietWait() {
        return Cli.seconds(quietWaitSeconds);
    }
}
