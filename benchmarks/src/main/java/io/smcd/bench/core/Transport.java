package io.smcd.bench.core;

import io.smcd.bench.common.Named;

import java.util.List;
import java.util.Locale;

/** The transports CoreBench compares; on the command line and in the child protocol by their lower-case names. */
enum Transport implements Named {
    /** SMC-D core over the nocopy loopback device (one copy on send, one on receive). */
    LOOPBACK,
    /** SMC-D core over the copy device (sndbuf, then move_data: two copies on send). */
    COPY,
    /** Plain blocking TCP over 127.0.0.1 with TCP_NODELAY. */
    TCP;

    @Override
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public List<String> aliases() {
        return List.of(label());
    }

    /** The name used in reports: {@code smcd-loopback}, {@code smcd-copy}, {@code tcp}. */
    String label() {
        return isSmcd() ? "smcd-" + option() : option();
    }

    boolean isSmcd() {
        return this != TCP;
    }

    @Override
    public String toString() {
        return option();
    }
}
