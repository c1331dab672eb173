package io.smcd.bench.common;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The two ways the benchmarks pass settings between their processes: argument pairs and {@code key=value} words. Stateless. */
public final class Words {
    private Words() {
    }

    /** {@code --name value} pairs into a map by name; every argument of a child JVM is one. */
    public static Map<String, String> arguments(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("argument=" + args[args.length - 1] + " has no value");
        }
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("argument=" + args[i] + " is not --name");
            }
            map.put(args[i].substring(2), args[i + 1]);
        }
        return map;
    }

    /** {@code key=value} words, as after a command or in an answer, into a map by key. */
    public static Map<String, String> pairs(List<String> words) {
        Map<String, String> map = new HashMap<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("word=" + word + " is not key=value");
            }
            map.put(word.substring(0, equals), word.substring(equals + 1));
        }
        return map;
    }
}
