package io.smcd.examples.grpc;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line settings of the gRPC examples: {@code --name value} or {@code --name=value}, else the system property
 * {@code <prefix><name>}, else a default. An unknown flag or a bad value is an {@link IllegalArgumentException} that
 * carries the usage text.
 *
 * <p>Immutable after construction; safe to read from any thread.
 */
final class Flags {
    private final Map<String, String> values = new HashMap<>();
    private final String propertyPrefix;
    private final String usage;

    Flags(String[] args, Set<String> known, String propertyPrefix, String usage) {
        this.propertyPrefix = propertyPrefix;
        this.usage = usage;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new IllegalArgumentException(usage);
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + usage);
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("flag --" + name + " needs a value\n" + usage);
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name + "\n" + usage);
            }
            values.put(name, value);
        }
    }

    String string(String name, String defaultValue) {
        String value = values.get(name);
        if (value == null) {
            value = System.getProperty(propertyPrefix + name);
        }
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    int integer(String name, int defaultValue, int max) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 0 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below with the usage.
        }
        throw new IllegalArgumentException("--" + name + "=" + value + " must be a number in [0, " + max + "]\n"
                + usage);
    }

    /** True for {@code --transport smcd} (the default), false for {@code nio}. */
    boolean smcdTransport() {
        String transport = string("transport", "smcd");
        if (transport.equals("smcd") || transport.equals("nio")) {
            return transport.equals("smcd");
        }
        throw new IllegalArgumentException("--transport=" + transport + " must be smcd or nio\n" + usage);
    }
}
