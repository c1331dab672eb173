/**
 * CLC (Connection Layer Control) messages of the smcd handshake and their wire codecs, shaped like the
 * Linux kernel's SMC-Dv2 messages ({@code net/smc/smc_clc.h}): same eyecatchers, types, big-endian fields,
 * lengths and offsets, so that a capture reads like an SMC-D one.
 *
 * <p>The messages ({@link io.smcd.sim.clc.ClcProposal}, {@link io.smcd.sim.clc.ClcAcceptConfirm},
 * {@link io.smcd.sim.clc.ClcDecline}) are immutable records; {@link io.smcd.sim.clc.ClcCodec} frames, encodes and
 * decodes them. Decoding treats every byte as hostile: it throws only
 * {@link io.smcd.sim.clc.ClcFormatException}. The wire layouts, with diagrams, live in
 * {@link io.smcd.sim.clc.ClcHeader}, {@link io.smcd.sim.clc.ClcProposalCodec},
 * {@link io.smcd.sim.clc.ClcAcceptConfirmCodec} and {@link io.smcd.sim.clc.ClcDeclineCodec}. JDK only.
 */
package io.smcd.sim.clc;
