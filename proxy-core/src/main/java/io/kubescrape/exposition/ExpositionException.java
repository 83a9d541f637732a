package io.kubescrape.exposition;

/** A metrics body that does not parse: which line, and what is wrong with it. */
public final class ExpositionException extends Exception {
    private final int line;

    ExpositionException(int line, String why) {
        super("line " + line + ": " + why, null, false, false);
        this.line = line;
    }

    /** 1-based. */
    public int line() {
        return line;
    }
}
