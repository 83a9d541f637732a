package io.kubescrape.exposition;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;

/**
 * A growable byte array that one aggregate reuses for every pod: the rewrite appends many short runs, which an array
 * takes as plain copies (through a direct ByteBuf's accessors they cost a fifth of the work), and the pod's result
 * then moves into a pooled buffer in one copy.
 */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    void write(int b) {
        if (size == buf.length) {
            grow(1);
        }
        buf[size++] = (byte) b;
    }

    void write(byte[] src, int offset, int length) {
        if (size + length > buf.length) {
            grow(length);
        }
        System.arraycopy(src, offset, buf, size, length);
        size += length;
    }

    void write(byte[] src) {
        write(src, 0, src.length);
    }

    /** ASCII text, a char per byte. */
    void writeAscii(String s) {
        if (size + s.length() > buf.length) {
            grow(s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    /** What was written, in a pooled buffer of its own (the caller releases it). */
    ByteBuf toBuffer(ByteBufAllocator alloc) {
        return alloc.buffer(Math.max(1, size)).writeBytes(buf, 0, size);
    }

    private void grow(int more) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
}
