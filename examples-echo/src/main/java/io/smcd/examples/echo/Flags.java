package io.smcd.examples.echo;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line settings of the echo examples: {@code --name value} or {@code --name=value}, else the system property
 * {@code echo.<name>}, else a default. An unknown flag or a missing value is an {@link IllegalArgumentException} that
 * carries the usage text.
 *
 * <p>Immutable after construction; safe to read from any thread.
 */
final class Flags {
    private final Map<String, String> values = new HashMap<>();
    private final String usage;

    Flags(String[] args, Set<String> known, String usage) {
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
            value = System.getProperty("echo." + name);
        }
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    int integer(String name, int defaultValue) {
        return (int) number(name, defaultValue, Integer.MAX_VALUE);
    }

    long number(String name, long defaultValue, long max) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + "=" + value + " is not a number\n" + usage);
        }
        if (parsed < 0 || parsed > max) {
            throw new IllegalArgumentException("--" + name + "=" + value + " must be in [0, " + max + "]\n" + usage);
        }
        return parsed;
    }

    /** {@code smcd} (true) or {@code nio} (false). */
    boolean smcdTransport() {
        String transport = string("transport", "smcd");
        switch (transport) {
            case "smcd":
                return true;
            case "nio":
                return false;
            default:
                throw new IllegalArgumentException("--transport=" + transport + " must be smcd or nio\n" + usage);
        }
    }
}
