package io.smcd.bench.common;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The picocli glue of the benchmarks' command lines: parsing with defaults from a table (so that a mode switch such
 * as {@code --full} can change them and {@code --help} shows the ones in force), range checks, and the settings as
 * they go into a JSON report. Stateless.
 */
public final class Cli {
    private Cli() {
    }

    /**
     * Parses {@code args} into {@code command}, an object with picocli annotations, taking every option's default
     * from {@code defaults} (by its longest name). Returns null after printing the usage if help was asked for.
     *
     * @throws IllegalArgumentException if {@code args} do not fit the options
     */
    public static <T> T parse(T command, Map<String, String> defaults, String... args) {
        CommandLine line = new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setDefaultValueProvider(arg -> arg instanceof OptionSpec option ? defaults.get(option.longestName()) : null);
        try {
            line.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (line.isUsageHelpRequested()) {
            line.usage(System.out);
            return null;
        }
        return command;
    }

    /** For a {@code main}: the options {@code parse} makes of {@code args}, or exits with 2 saying why not. */
    public static <T> T parseOrExit(String tool, Function<String[], T> parse, String[] args) {
        try {
            T options = parse.apply(args);
            if (options == null) {
                System.exit(0);
            }
            return options;
        } catch (IllegalArgumentException e) {
            System.err.println(tool + ": " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
            return null;
        }
    }

    /** For a {@code main}: runs {@code run}; if it fails, prints why and what {@code partial} holds, and exits with 1. */
    public static void runOrExit(String tool, PeerSide.Body run, Report partial) {
        try {
            run.run();
        } catch (Exception e) {
            System.err.println(tool + " failed: " + e);
            e.printStackTrace();
            if (!partial.isEmpty()) {
                System.err.println("results measured before the failure:");
                partial.print(System.err);
            }
            System.exit(1);
        }
    }

    /** Every option of {@code spec} but help by its name without dashes, as parsed; lists as lists of their names. */
    public static Map<String, Object> settings(CommandSpec spec) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (!option.usageHelp()) {
                Object value = option.getValue();
                settings.put(option.longestName().replaceFirst("^-+", ""),
                        value instanceof Collection<?> list ? List.copyOf(list) : value);
            }
        }
        return settings;
    }

    /** {@code value} if it is in [min, max]; the option is named in the error. */
    public static double check(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(option + "=" + value + " not in [" + min + ", " + max + "]");
        }
        return value;
    }

    /** {@code value} if it is in [min, max]; the option is named in the error. */
    public static int check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + "=" + value + " not in [" + min + ", " + max + "]");
        }
        return value;
    }

    /** {@code value} if it is {@code 16 << n} KiB, a DMB size the core accepts. */
    public static int checkDmbKib(String option, int value) {
        check(option, value, 16, 1 << 20);
        if (Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(option + "=" + value + " is not 16 << n");
        }
        return value;
    }

    /** Seconds as a duration, to the nanosecond. */
    public static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
