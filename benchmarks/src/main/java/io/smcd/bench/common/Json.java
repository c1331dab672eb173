package io.smcd.bench.common;

import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON text the benchmarks write: maps become objects (in their iteration order), collections arrays, numbers
 * numbers (NaN and infinities, which JSON lacks, null), booleans and null themselves, and anything else a string of
 * its {@code toString()}. The top object and its members' values get one line per entry; anything deeper stays on one
 * line, so that each result is one line of the file. Stateless.
 */
public final class Json {
    /** Nesting depth from which containers are written on one line. */
    private static final int INLINE_DEPTH = 2;

    private Json() {
    }

    /** {@code value} as JSON text ending in a newline. */
    public static String write(Object value) {
        StringBuilder json = new StringBuilder(8192);
        write(json, value, 0);
        return json.append('\n').toString();
    }

    private static void write(StringBuilder json, Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            container(json, '{', '}', map.entrySet().iterator(), depth, (entry, d) -> {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) entry;
                json.append(quote(String.valueOf(e.getKey()))).append(": ");
                write(json, e.getValue(), d);
            });
        } else if (value instanceof Collection<?> list) {
            container(json, '[', ']', list.iterator(), depth, (item, d) -> write(json, item, d));
        } else if (value instanceof Double || value instanceof Float) {
            json.append(number(((Number) value).doubleValue()));
        } else if (value instanceof Number || value instanceof Boolean || value == null) {
            json.append(value);
        } else {
            json.append(quote(value.toString()));
        }
    }

    private interface Element {
        void write(Object element, int depth);
    }

    private static void container(StringBuilder json, char open, char close, Iterator<?> elements, int depth, Element element) {
        json.append(open);
        boolean inline = depth >= INLINE_DEPTH;
        String indent = "  ".repeat(depth + 1);
        boolean first = true;
        while (elements.hasNext()) {
            json.append(first ? "" : ",").append(inline ? (first ? "" : " ") : "\n" + indent);
            element.write(elements.next(), depth + 1);
            first = false;
        }
        json.append(inline || first ? "" : "\n" + "  ".repeat(depth)).append(close);
    }

    /** A JSON string literal. */
    public static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    /** A JSON number with up to six decimals and no trailing zeros; null for NaN and infinities. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        String text = String.format(Locale.ROOT, "%.6f", value);
        if (text.contains(".")) {
            text = text.replaceAll("0+$", "");
            if (text.endsWith(".")) {
                text = text.substring(0, text.length() - 1);
            }
        }
        return text.equals("-0") ? "0" : text;
    }
}
