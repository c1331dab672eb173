package io.smcd.bench.common;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A choice on a benchmark's command line (a transport, a scenario) with the name it is given there, and the parsing
 * of such names and of comma-separated lists of them. Implemented by enums; thread-safe.
 */
public interface Named {
    /** The name on the command line and in reports. */
    String option();

    /** Other names this choice is accepted by. */
    default List<String> aliases() {
        return List.of();
    }

    /** The choice of {@code type} named {@code name}: its option, an alias or its constant, any case, '-' or '_'. */
    static <E extends Enum<E> & Named> E of(Class<E> type, String name) {
        String wanted = normal(name);
        for (E choice : type.getEnumConstants()) {
            if (normal(choice.option()).equals(wanted) || normal(choice.name()).equals(wanted)
                    || choice.aliases().stream().map(Named::normal).anyMatch(wanted::equals)) {
                return choice;
            }
        }
        throw new IllegalArgumentException(type.getSimpleName() + "=" + name + " is not one of " + names(type));
    }

    /**
     * A comma-separated list of names, {@code all}, or a name of {@code groups}; duplicates dropped, first mention
     * first.
     */
    static <E extends Enum<E> & Named> List<E> list(Class<E> type, String list, Map<String, List<E>> groups) {
        Set<E> chosen = new LinkedHashSet<>();
        for (String item : list.split(",")) {
            String name = item.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (name.equalsIgnoreCase("all")) {
                chosen.addAll(List.of(type.getEnumConstants()));
            } else if (groups.containsKey(name.toLowerCase(Locale.ROOT))) {
                chosen.addAll(groups.get(name.toLowerCase(Locale.ROOT)));
            } else {
                chosen.add(of(type, name));
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(type.getSimpleName() + "s=" + list + " is empty");
        }
        return List.copyOf(new ArrayList<>(chosen));
    }

    /** The options of {@code type}, comma-separated, in declaration order. */
    static <E extends Enum<E> & Named> String names(Class<E> type) {
        return Stream.of(type.getEnumConstants()).map(Named::option).collect(Collectors.joining(", "));
    }

    private static String normal(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
