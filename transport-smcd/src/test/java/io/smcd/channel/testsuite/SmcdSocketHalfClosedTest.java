package io.smcd.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketHalfClosedTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class SmcdSocketHalfClosedTest extends SocketHalfClosedTest implements SmcdTestsuiteTest {
    private boolean smcdPairsOnly;

    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return smcdPairsOnly ? SmcdSocketTestPermutation.INSTANCE.smcdPairs() : SmcdSocketTestPermutation.INSTANCE.socket();
    }

    /**
     * Netty skips this test for clients on a NIO event loop ("nio needs read flag to detect full closure"). An smcd
     * client over TCP is a NIO channel on a loop that is not of NIO's type, so the skip misses it: it runs for the two
     * smcd pairs only, where the SMC-D data path is meant to report the end of input without a read, as epoll does.
     */
    @Test
    @Override
    public void testAllDataReadEventTriggeredAfterHalfClosure(TestInfo testInfo) throws Throwable {
        smcdPairsOnly = true;
        try {
            super.testAllDataReadEventTriggeredAfterHalfClosure(testInfo);
        } finally {
            smcdPairsOnly = false;
        }
    }
}
