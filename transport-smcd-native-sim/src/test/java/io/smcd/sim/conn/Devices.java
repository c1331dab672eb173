package io.smcd.sim.conn;

import io.smcd.sim.CopyIsmDevice;
import io.smcd.sim.IsmDevice;
import io.smcd.sim.LoopbackIsmDevice;
import io.smcd.sim.SmcdDomain;

import java.util.List;

/** The simulated ISM devices by the short names the parameterized tests and the child JVM use. Stateless. */
final class Devices {
    static final String LOOPBACK = "loopback";
    static final String COPY = "copy";
    static final List<String> ALL = List.of(LOOPBACK, COPY);

    private Devices() {
    }

    static IsmDevice create(String name, SmcdDomain domain) {
        switch (name) {
            case LOOPBACK:
                return new LoopbackIsmDevice(domain);
            case COPY:
                return new CopyIsmDevice(domain);
            default:
                throw new IllegalArgumentException("device=" + name);
        }
    }
}
