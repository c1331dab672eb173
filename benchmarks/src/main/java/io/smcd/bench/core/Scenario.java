package io.smcd.bench.core;

import java.util.Locale;

/** The measurements CoreBench makes on each transport. */
enum Scenario {
    /** One-way streaming, child to parent, in writes of the configured size. */
    THROUGHPUT("throughput"),
    /** Round trips of one small message, parent to child and back. */
    PINGPONG("pingpong");

    private final String option;

    Scenario(String option) {
        this.option = option;
    }

    String option() {
        return option;
    }

    static Scenario ofOption(String option) {
        String wanted = option.trim().toLowerCase(Locale.ROOT);
        for (Scenario scenario : values()) {
            if (scenario.option.equals(wanted)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("scenario=" + option + " is not one of throughput, pingpong");
    }
}
