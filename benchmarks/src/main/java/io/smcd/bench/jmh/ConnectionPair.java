package io.smcd.bench.jmh;

import io.smcd.bench.common.RunDirectory;
import io.smcd.bench.core.SmcdCore;
import io.smcd.sim.ProcessIdentity;
import io.smcd.sim.SmcdConnection;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Two connected ends of an SMC-D core connection in this process, over a private domain in /dev/shm that
 * {@link #close()} removes again: what the JMH benches measure the ring through. Built by {@link SmcdCore}. A pair is
 * written by one thread and read by one other (or the same), as across two processes.
 */
final class ConnectionPair implements AutoCloseable {
    private static final RunDirectory RUN_DIRECTORY = new RunDirectory("smcd-jmh-");

    private final Path directory;
    private final SmcdCore core;
    final SmcdConnection sender;
    final SmcdConnection receiver;

    private ConnectionPair(Path directory, SmcdCore core, SmcdConnection sender, SmcdConnection receiver) {
        this.directory = directory;
        this.core = core;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** A pair on the {@code device} ("loopback" or "copy") with rings of {@code ringSize} bytes each way. */
    static ConnectionPair open(String device, int ringSize) throws IOException {
        Path directory = RUN_DIRECTORY.newPath(Path.of("/dev/shm"));
        SmcdCore core = SmcdCore.open(directory);
        boolean copy = device.equals("copy");
        SmcdCore.HalfConnection senderSide = core.register(copy, ringSize, ProcessIdentity.current());
        SmcdCore.HalfConnection receiverSide = core.register(copy, ringSize, ProcessIdentity.current());
        return new ConnectionPair(directory, core, senderSide.join(receiverSide.name()), receiverSide.join(senderSide.name()));
    }

    @Override
    public void close() throws IOException {
        try {
            sender.close();
            receiver.close();
            core.close();
        } finally {
            if (!RUN_DIRECTORY.delete(directory)) {
                throw new IOException("directory=" + directory + " could not be removed");
            }
        }
    }
}
