package io.smcd.bench.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The machine a benchmark ran on, as both benchmark reports print it. Stateless; thread-safe. */
public final class HostInfo {
    private HostInfo() {
    }

    /** CPU model, CPU count, JVM, OS and the load average at the start, in report order. */
    public static Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("cpu", cpuModel());
        environment.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        environment.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        environment.put("loadAverageAtStart", loadAverage());
        return environment;
    }

    /** The 1, 5 and 15 minute load averages: on a shared two-core host, anything near 2 before the run means noise. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }
}
