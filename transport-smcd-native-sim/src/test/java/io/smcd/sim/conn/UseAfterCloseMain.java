package io.smcd.sim.conn;

import io.smcd.sim.SmcdDomain;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;

/**
 * Child of {@link ConnectionOrderingTest}: closes a connection that had armed its doorbell and then calls
 * {@code wakeUp()} (argument {@code wakeUp}) or {@code peerFlags()} (argument {@code peerFlags}) on it, in a
 * JVM of its own because touching an unmapped DMB kills the process. Prints {@code SURVIVED} if it did.
 * Arguments: the mode, then the domain directory.
 */
public final class UseAfterCloseMain {
    private UseAfterCloseMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (SmcdDomain domain = SmcdDomain.open(Paths.get(args[1]));
             ConnectionPair pair = ConnectionPair.open(domain, Devices.LOOPBACK, 16 * 1024)) {
            pair.a.write(ByteBuffer.allocate(1));
            // Work is pending, so the caller is to process it (here: close) and then call wakeUp().
            out.println("prepareToSleep " + pair.b.prepareToSleep());
            pair.b.close();
            if (args[0].equals("wakeUp")) {
                pair.b.wakeUp();
            } else {
                try {
                    out.println("peerFlags " + pair.b.peerFlags());
                } catch (IllegalStateException expected) {
                    out.println("refused " + expected.getMessage());
                }
            }
        }
        out.println("SURVIVED");
    }
}
