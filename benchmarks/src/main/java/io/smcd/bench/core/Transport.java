package io.smcd.bench.core;

import java.util.Locale;

/** The transports CoreBench compares. */
enum Transport {
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
    String option() {
        return option;
    }

    /** The name used in reports. */
    String label() {
        return label;
    }

    boolean isSmcd() {
        return this != TCP;
    }

    static Transport ofOption(String option) {
        String wanted = option.trim().toLowerCase(Locale.ROOT);
        for (Transport transport : values()) {
            if (transport.option.equals(wanted) || transport.label.equals(wanted)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("transport=" + option + " is not one of loopback, copy, tcp");
    }
}
