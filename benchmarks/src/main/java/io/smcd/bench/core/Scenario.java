package io.smcd.bench.core;

import io.smcd.bench.common.Named;

/** The measurements CoreBench makes on each transport. */
enum Scenario implements Named {
    /** One-way streaming, child to parent, in writes of the configured size. */
    THROUGHPUT("throughput"),
    /** Round trips of one small message, parent to child and back. */
    PINGPONG("pingpong");

    private final String option;

    Scenario(String option) {
        this.option = option;
    }

    @Override
    public String option() {
        return option;
    }

    @Override
    public String toString() {
        return option;
    }
}
