package io.smcd.bench.core;

import io.smcd.bench.common.Named;

import java.util.List;

/** The transports CoreBench compares. */
enum Transport implements Named {
    /** SMC-D core over the nocopy loopback device (one copy on send, one on receive). */
    LOOPBACK("loopback", "smcd-loopback"),
    /** SMC-D core over the copy device (sndbuf, then move_data: two copies on send). */
    COPY("copy", "smcd-copy"),
    /** Plain blocking TCP over 127.0.0.1 with TCP_NODELAY. */
    TCP("tcp", "tcp");

    private final String option;
    private final String label;

    Transport(String option, String label) {
        this.option = option;
        this.label = label;
    }

    /** The name used on the command line and in the child protocol. */
    @Override
    public String option() {
        return option;
    }

    @Override
    public List<String> aliases() {
        return List.of(label);
    }

    /** The name used in reports. */
    String label() {
        return label;
    }

    boolean isSmcd() {
        return this != TCP;
    }

    @Override
    public String toString() {
        return option;
    }
}
