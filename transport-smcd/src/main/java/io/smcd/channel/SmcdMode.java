package io.smcd.channel;

/**
 * How an {@link SmcdSocketChannel} carries its data, as {@code smcss} shows it for a kernel SMC socket:
 * over SMC-D on one of the two ISM devices, or over the TCP connection it started as.
 *
 * <p>The device values also name device preferences in {@link SmcdChannelOption#SMCD_DEVICES}.
 */
public enum SmcdMode {
    /** SMC-D on the loopback device: the sender writes straight into the peer's RMB (one copy). */
    SMCD_LOOPBACK,
    /** SMC-D on the copy device: the sender fills its own sndbuf, the device moves it into the peer's RMB. */
    SMCD_COPY,
    /** Plain TCP: SMC-D was off, impossible or declined; {@link SmcdSocketChannel#fallbackReason()} says why. */
    TCP;

    /** Whether this mode runs over shared memory. */
    public boolean isSmcd() {
        return this != TCP;
    }
}
