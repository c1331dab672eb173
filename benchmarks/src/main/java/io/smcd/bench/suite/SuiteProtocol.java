package io.smcd.bench.suite;

import io.smcd.bench.common.PeerProcess;

/**
 * The line protocol between {@link BenchSuite} (parent) and its two children per transport, {@link SuiteServer} and
 * {@link SuiteClient}, over their stdin and stdout ({@link PeerProcess} lines).
 *
 * <pre>
 *  parent -&gt; server                    server -&gt; parent
 *                                       READY echo=&lt;addr&gt; data=&lt;addr&gt;
 *  SERVER-START &lt;scenario&gt; &lt;threads&gt;    SERVER-STARTED &lt;addr&gt; &lt;loops&gt;, or SERVER-STARTED none &lt;why&gt;
 *  SERVER-STOP                          SERVER-STOPPED
 *  EXIT (or end of stdin)               BYE
 *
 *  parent -&gt; client                    client -&gt; parent
 *                                       READY
 *  WARMUP &lt;seconds&gt;                     WARMED
 *  RUN &lt;scenario&gt; key=value...          RESULT &lt;{@link SuiteResult#toLine()}&gt;
 *  IDLE-OPEN &lt;connections&gt;              IDLE-OPENED &lt;note&gt;
 *  IDLE-CLOSE                           IDLE-CLOSED
 *  EXIT (or end of stdin)               BYE
 * </pre>
 * Addresses are {@code tcp:127.0.0.1:port} or {@code uds:/path} ({@link NettyTransport#render}); a scenario's own server
 * ({@link ScenarioServer}: HTTP, gRPC, Reactor Netty) runs on a group of {@code <threads>} loops, 0 for Netty's
 * default, and answers how many it got. A child that fails answers
 * {@code ERROR <text>}.
 */
final class SuiteProtocol {
    static final String SERVER_START = "SERVER-START";
    static final String SERVER_STARTED = "SERVER-STARTED";
    static final String SERVER_STOP = "SERVER-STOP";
    static final String SERVER_STOPPED = "SERVER-STOPPED";
    static final String WARMUP = "WARMUP";
    static final String WARMED = "WARMED";
    static final String RUN = "RUN";
    static final String RESULT = "RESULT";
    static final String IDLE_OPEN = "IDLE-OPEN";
    static final String IDLE_OPENED = "IDLE-OPENED";
    static final String IDLE_CLOSE = "IDLE-CLOSE";
    static final String IDLE_CLOSED = "IDLE-CLOSED";

    private SuiteProtocol() {
    }
}
