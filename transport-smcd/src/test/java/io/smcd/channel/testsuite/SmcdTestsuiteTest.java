package io.smcd.channel.testsuite;

import io.smcd.channel.SmcdMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Implemented by every testsuite class: ties it to the shared smcd group's lifecycle ({@link SmcdTestsuiteExtension})
 * and checks after each test that its smcd channels became active in the mode their combination must produce
 * ({@link SmcdModeRecorder}).
 */
@ExtendWith(SmcdTestsuiteExtension.class)
interface SmcdTestsuiteTest {
    @BeforeEach
    default void forgetSmcdActivations() {
        SmcdModeRecorder.reset();
    }

    @AfterEach
    default void assertSmcdModes() {
        SmcdModeRecorder.assertExpectedModes(this);
    }

    /**
     * The mode an smcd channel of {@code combo} must have once active, {@code side} being {@code client} or
     * {@code accepted}: by default {@code comboExpectation}, SMC-D for the smcd pairs and TCP for the mixed ones. A test
     * overrides it only where its own scenario rules SMC-D out, and says why.
     */
    default SmcdMode expectedMode(String combo, String side, SmcdMode comboExpectation) {
        return comboExpectation;
    }
}
