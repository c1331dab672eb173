package io.smcd.channel.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a child server wrote to stderr about its failures: every throwable class it names must be an
 * {@link IOException} (a clear error about a peer or the network), never a runtime exception or an error of its own.
 */
final class ChildErrors {
    private static final Pattern THROWABLE = Pattern.compile("\\b((?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error))\\b");

    private ChildErrors() {
    }

    /** Asserts that {@code stderr} names only {@link IOException}s; returns how often it names each. */
    static Map<String, Integer> assertOnlyIOExceptions(String stderr) throws ClassNotFoundException {
        Map<String, Integer> names = new TreeMap<>();
        Matcher m = THROWABLE.matcher(stderr);
        while (m.find()) {
            names.merge(m.group(1), 1, Integer::sum);
        }
        for (String name : names.keySet()) {
            assertTrue(IOException.class.isAssignableFrom(Class.forName(name)), "the child failed with " + name
                    + ", not an IOException naming what was wrong:\n" + excerpt(stderr, name));
        }
        return names;
    }

    private static String excerpt(String text, String name) {
        int at = text.indexOf(name);
        return text.substring(Math.max(0, at - 500), Math.min(text.length(), at + 2000));
    }
}
