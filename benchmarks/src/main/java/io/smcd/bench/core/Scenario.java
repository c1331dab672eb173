package io.smcd.bench.core;

import io.smcd.bench.common.Named;

import java.util.Locale;

/** The measurements CoreBench makes on each transport; on the command line by their lower-case names. */
enum Scenario implements Named {
    /** One-way streaming, child to parent, in writes of the configured size. */
    THROUGHPUT,
    /** Round trips of one small message, parent to child and back. */
    PINGPONG;

    @Override
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return option();
    }
}
