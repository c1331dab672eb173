package io.smcd.examples.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line settings of the HTTP examples: {@code --name value} or {@code --name=value}, else the system property
 * {@code <prefix><name>}, else a default; plus positional arguments where a role allows them. An unknown flag or a
 * bad value is an {@link IllegalArgumentException} that carries the usage text.
 *
 * <p>Immutable after construction; safe to read from any thread.
 */
final class Flags {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final String propertyPrefix;
    private final String usage;

    Flags(String[] args, Set<String> known, int maxPositional, String propertyPrefix, String usage) {
        this.propertyPrefix = propertyPrefix;
        this.usage = usage;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new IllegalArgumentException(usage);
            }
            if (!arg.startsWith("--")) {
                if (positional.size() == maxPositional) {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + usage);
                }
                positional.add(arg);
                continue;
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

    List<String> positional() {
        return positional;
    }

    String string(String name, String defaultValue) {
        String value = values.get(name);
        if (value == null) {
            value = System.getProperty(propertyPrefix + name);
        }
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    int integer(String name, int defaultValue) {
        return (int) number(name, defaultValue);
    }

    long number(String name, long defaultValue) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0 && parsed <= Integer.MAX_VALUE) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below with the usage.
        }
        throw new IllegalArgumentException("--" + name + "=" + value + " must be a number in [0, "
                + Integer.MAX_VALUE + "]\n" + usage);
    }

    /** A duration as wrk writes it: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    Duration duration(String name, Duration defaultValue) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            char unit = value.charAt(value.length() - 1);
            String digits = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
            long amount = Long.parseLong(digits);
            switch (Character.isDigit(unit) ? 's' : unit) {
                case 's':
                    return Duration.ofSeconds(amount);
                case 'm':
                    return Duration.ofMinutes(amount);
                case 'h':
                    return Duration.ofHours(amount);
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // Reported below with the usage.
        }
        throw new IllegalArgumentException("--" + name + "=" + value + " is not a duration like 500ms, 10s, 2m\n"
                + usage);
    }

    Transport transport() {
        String name = string("transport", "smcd");
        try {
            return Transport.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + usage);
        }
    }
}
