package io.smcd.sim.clc;

import java.nio.ByteBuffer;

/**
 * EID (enterprise ID) fields: {@link ClcHeader#EID_LENGTH} ASCII bytes, blank-padded. smcd accepts 1 to 32
 * printable, non-blank ASCII characters ({@code 0x21..0x7E}), so that the padding is unambiguous; the kernel's UEID
 * alphabet ({@code A-Z 0-9 . -}) is a subset. An absent EID (Accept/Confirm only) is 32 zero bytes, as the kernel
 * sends it. Stateless.
 */
final class ClcEid {
    private static final byte BLANK = ' ';
    private static final int FIRST_PRINTABLE = 0x21;
    private static final int LAST_PRINTABLE = 0x7E;

    private ClcEid() {
    }

    /** Whether {@code eid} can be encoded as a present EID. */
    static boolean isValid(String eid) {
        if (eid == null || eid.isEmpty() || eid.length() > ClcHeader.EID_LENGTH) {
            return false;
        }
        for (int i = 0; i < eid.length(); i++) {
            if (!isEidChar(eid.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code eid}, a valid EID or "" for none, at {@code index}. */
    static void write(ByteBuffer m, int index, String eid) {
        byte padding = eid.isEmpty() ? 0 : BLANK;
        for (int i = 0; i < ClcHeader.EID_LENGTH; i++) {
            m.put(index + i, i < eid.length() ? (byte) eid.charAt(i) : padding);
        }
    }

    /**
     * Reads the EID field at {@code index}: the EID, "" if {@code allowNone} and the field is all zero, or null if
     * the bytes are not a valid EID.
     */
    static String read(ByteBuffer m, int index, boolean allowNone) {
        if (allowNone && isAllZero(m, index)) {
            return "";
        }
        int length = ClcHeader.EID_LENGTH;
        while (length > 0 && m.get(index + length - 1) == BLANK) {
            length--;
        }
        if (length == 0) {
            return null;
        }
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            int b = m.get(index + i) & 0xFF;
            if (!isEidChar(b)) {
                return null;
            }
            chars[i] = (char) b;
        }
        return new String(chars);
    }

    private static boolean isAllZero(ByteBuffer m, int index) {
        for (int i = 0; i < ClcHeader.EID_LENGTH; i++) {
            if (m.get(index + i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEidChar(int c) {
        return c >= FIRST_PRINTABLE && c <= LAST_PRINTABLE;
    }
}
