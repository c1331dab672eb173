package io.smcd.sim.clc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes, frames and decodes CLC messages. Buffers are accessed through big-endian views, so the byte order of the
 * caller's buffer does not matter. Decoding trusts nothing: any input either yields a message or throws
 * {@link ClcFormatException}; every length, count and offset is checked before it is used. Stateless and
 * thread-safe (a buffer itself must not be used by two threads at once).
 *
 * <p>Stream framing: wait until {@link #peekLength(ByteBuffer)} returns a length, then until that many bytes are
 * available, then {@link #decode(ByteBuffer)}. The header check is complete in {@code peekLength}, so a reader never
 * waits for the bytes of a message it would reject.
 */
public final class ClcCodec {

    private ClcCodec() {
    }

    /** The number of bytes {@code m} encodes to. */
    public static int encodedLength(ClcMessage m) {
        if (m instanceof ClcProposal p) {
            return ClcProposalCodec.length(p);
        } else if (m instanceof ClcAcceptConfirm a) {
            return ClcAcceptConfirmCodec.length(a.firstContact());
        } else if (m instanceof ClcDecline) {
            return ClcDeclineCodec.LENGTH;
        }
        throw new IllegalArgumentException("message=null");
    }

    /**
     * Writes {@code m} at {@code dst.position()} and advances the position past it.
     *
     * @return the number of bytes written
     * @throws IllegalArgumentException if {@code dst} is read-only or has fewer bytes remaining than the message
     *                                  needs; nothing is written then
     */
    public static int encode(ClcMessage m, ByteBuffer dst) {
        int length = encodedLength(m);
        if (dst == null) {
            throw new IllegalArgumentException("dst=null");
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst.isReadOnly=true");
        }
        if (dst.remaining() < length) {
            throw new IllegalArgumentException("length=" + length + " remaining=" + dst.remaining());
        }
        ByteBuffer view = dst.slice(dst.position(), length).order(ByteOrder.BIG_ENDIAN);
        if (m instanceof ClcProposal p) {
            ClcProposalCodec.encode(p, view);
        } else if (m instanceof ClcAcceptConfirm a) {
            ClcAcceptConfirmCodec.encode(a, view);
        } else {
            ClcDeclineCodec.encode((ClcDecline) m, view);
        }
        dst.position(dst.position() + length);
        return length;
    }

    /** Encodes {@code m} into a new array of exactly its length. */
    public static byte[] encode(ClcMessage m) {
        byte[] bytes = new byte[encodedLength(m)];
        encode(m, ByteBuffer.wrap(bytes));
        return bytes;
    }

    /**
     * Validates the 8-byte header at {@code src.position()} and returns the length of the whole message, without
     * consuming anything.
     *
     * @return the message length, from the header; or -1 if fewer than {@link ClcHeader#HEADER_LENGTH} bytes remain
     * @throws ClcFormatException if the header is not one smcd sends: eyecatcher, version, type, type bits, or a
     *                            length outside what that type allows ({@link ClcError#OVERSIZED} above
     *                            {@link ClcHeader#MAX_MESSAGE_LENGTH})
     */
    public static int peekLength(ByteBuffer src) throws ClcFormatException {
        if (src.remaining() < ClcHeader.HEADER_LENGTH) {
            return -1;
        }
        return checkHeader(src.slice(src.position(), ClcHeader.HEADER_LENGTH).order(ByteOrder.BIG_ENDIAN));
    }

    /**
     * Decodes exactly one message at {@code src.position()} and advances the position past it. On failure the
     * position is unspecified.
     *
     * @throws ClcFormatException if the bytes are truncated, malformed or oversized; never any other exception
     */
    public static ClcMessage decode(ByteBuffer src) throws ClcFormatException {
        int position = src.position();
        int available = src.remaining();
        if (available < ClcHeader.HEADER_LENGTH) {
            throw new ClcFormatException(ClcError.TRUNCATED, "available=" + available + " but the header needs "
                    + ClcHeader.HEADER_LENGTH);
        }
        int length = checkHeader(src.slice(position, ClcHeader.HEADER_LENGTH).order(ByteOrder.BIG_ENDIAN));
        if (available < length) {
            throw new ClcFormatException(ClcError.TRUNCATED, "available=" + available + " length=" + length);
        }
        ByteBuffer m = src.slice(position, length).order(ByteOrder.BIG_ENDIAN);
        int eyecatcher = m.getInt(ClcHeader.EYECATCHER_OFFSET);
        int trailer = m.getInt(length - ClcHeader.TRAILER_LENGTH);
        if (trailer != eyecatcher) {
            throw new ClcFormatException(ClcError.BAD_EYECATCHER, "trailer=" + hex(trailer) + " header="
                    + hex(eyecatcher));
        }
        int type = Byte.toUnsignedInt(m.get(ClcHeader.TYPE_OFFSET));
        int typev2 = ClcHeader.typev2(Byte.toUnsignedInt(m.get(ClcHeader.VERSION_OFFSET)));
        ClcMessage message;
        switch (type) {
            case ClcHeader.TYPE_PROPOSAL:
                message = ClcProposalCodec.decode(m, length);
                break;
            case ClcHeader.TYPE_ACCEPT:
            case ClcHeader.TYPE_CONFIRM:
                message = ClcAcceptConfirmCodec.decode(m, type, (typev2 & ClcHeader.TYPEV2_FIRST_CONTACT) != 0);
                break;
            default:
                message = ClcDeclineCodec.decode(m, (typev2 & ClcHeader.TYPEV2_OUT_OF_SYNC) != 0);
                break;
        }
        src.position(position + length);
        return message;
    }

    /** Checks the header in {@code h}, a big-endian view of its 8 bytes, and returns the message length. */
    private static int checkHeader(ByteBuffer h) throws ClcFormatException {
        int eyecatcher = h.getInt(ClcHeader.EYECATCHER_OFFSET);
        if (eyecatcher != ClcHeader.EYECATCHER_SMCR && eyecatcher != ClcHeader.EYECATCHER_SMCD) {
            throw new ClcFormatException(ClcError.BAD_EYECATCHER, "eyecatcher=" + hex(eyecatcher));
        }
        int versionByte = Byte.toUnsignedInt(h.get(ClcHeader.VERSION_OFFSET));
        int version = ClcHeader.version(versionByte);
        if (version != ClcHeader.VERSION_2) {
            throw new ClcFormatException(ClcError.BAD_VERSION, "version=" + version + " expected="
                    + ClcHeader.VERSION_2);
        }
        int type = Byte.toUnsignedInt(h.get(ClcHeader.TYPE_OFFSET));
        int expectedEyecatcher = ClcHeader.eyecatcherOf(type);
        if (expectedEyecatcher == 0) {
            throw new ClcFormatException(ClcError.BAD_TYPE, "type=" + type);
        }
        if (eyecatcher != expectedEyecatcher) {
            throw new ClcFormatException(ClcError.BAD_EYECATCHER, "eyecatcher=" + hex(eyecatcher) + " but "
                    + ClcHeader.typeName(type) + " needs " + hex(expectedEyecatcher));
        }
        int typev1 = ClcHeader.typev1(versionByte);
        int typev2 = ClcHeader.typev2(versionByte);
        int length = Short.toUnsignedInt(h.getShort(ClcHeader.LENGTH_OFFSET));
        int minLength;
        int maxLength;
        boolean typeBitsValid;
        switch (type) {
            case ClcHeader.TYPE_PROPOSAL:
                typeBitsValid = typev1 == ClcHeader.SMC_TYPE_N && typev2 == ClcHeader.SMC_TYPE_D;
                minLength = ClcProposalCodec.MIN_LENGTH;
                maxLength = ClcProposalCodec.MAX_LENGTH;
                break;
            case ClcHeader.TYPE_ACCEPT:
            case ClcHeader.TYPE_CONFIRM:
                typeBitsValid = typev1 == ClcHeader.SMC_TYPE_D && (typev2 & ~ClcHeader.TYPEV2_FIRST_CONTACT) == 0;
                minLength = ClcAcceptConfirmCodec.length((typev2 & ClcHeader.TYPEV2_FIRST_CONTACT) != 0);
                maxLength = minLength;
                break;
            default:
                typeBitsValid = typev1 == ClcHeader.SMC_TYPE_D && (typev2 & ~ClcHeader.TYPEV2_OUT_OF_SYNC) == 0;
                minLength = ClcDeclineCodec.LENGTH;
                maxLength = minLength;
                break;
        }
        if (!typeBitsValid) {
            throw new ClcFormatException(ClcError.BAD_TYPE, ClcHeader.typeName(type) + " with typev1=" + typev1
                    + " typev2=" + typev2);
        }
        if (length > ClcHeader.MAX_MESSAGE_LENGTH) {
            throw new ClcFormatException(ClcError.OVERSIZED, "length=" + length + " max="
                    + ClcHeader.MAX_MESSAGE_LENGTH);
        }
        if (length < minLength || length > maxLength) {
            throw new ClcFormatException(ClcError.BAD_LENGTH, ClcHeader.typeName(type) + " length=" + length
                    + " not in [" + minLength + ", " + maxLength + "]");
        }
        return length;
    }

    private static String hex(int value) {
        return String.format("0x%08x", value);
    }
}
