package io.smcd.channel.process;

/**
 * How much longer the fault, hostile-peer and soak tests run than in the default test run: the system property
 * {@code smcd.faults.scale} (default 1), which the Maven profile {@code faults-long} raises.
 */
final class FaultScale {
    private FaultScale() {
    }

    /** {@code n} times the scale. */
    static int times(int n) {
        String value = System.getProperty("smcd.faults.scale", "1");
        int scale;
        try {
            scale = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("smcd.faults.scale=" + value + " is not a whole number", e);
        }
        if (scale < 1) {
            throw new IllegalArgumentException("smcd.faults.scale=" + value + " must be at least 1");
        }
        return Math.multiplyExact(n, scale);
    }
}
