package io.smcd.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketConnectionAttemptTest;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The connection-refused cases only: the timeout and cancellation cases dial an off-host address, so they are
 * disabled, and their bootstrap variants refuse to run should anything call them.
 */
class SmcdSocketConnectionAttemptTest extends SocketConnectionAttemptTest implements SmcdTestsuiteTest {
    private static final String OFF_HOST = "dials 198.51.100.254, an off-host address; tests here dial loopback only";

    @Override
    protected List<TestsuitePermutation.BootstrapFactory<Bootstrap>> newFactories() {
        return SmcdSocketTestPermutation.INSTANCE.clientSocket();
    }

    @Test
    @Disabled(OFF_HOST)
    @Override
    public void testConnectTimeout(TestInfo testInfo) {
        throw new AssertionError(OFF_HOST);
    }

    @Override
    public void testConnectTimeout(Bootstrap cb) {
        throw new AssertionError(OFF_HOST);
    }

    @Test
    @Disabled(OFF_HOST)
    @Override
    public void testConnectCancellation(TestInfo testInfo) {
        throw new AssertionError(OFF_HOST);
    }

    @Override
    public void testConnectCancellation(Bootstrap cb) {
        throw new AssertionError(OFF_HOST);
    }
}
