package io.smcd.bench.common;

import java.io.PrintStream;

/** What a benchmark has measured so far, printable as its tables; so a failed run still shows what it got. */
public interface Report {
    boolean isEmpty();

    /** Prints the tables. */
    void print(PrintStream out);
}
