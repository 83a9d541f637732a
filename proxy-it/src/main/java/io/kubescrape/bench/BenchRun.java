package io.kubescrape.bench;

/**
 * One timed wrk run of one contender: the load's view, plus the proxy's CPU per 1,000 requests, its RSS, and how
 * many upstream requests it sent per request served (1 for a proxy that never shares one).
 */
record BenchRun(int round, String size, int connections, String contender, Wrk.Result wrk, double cpuPer1k,
                double rssMb, double upstreamPerScrape) {

    boolean failed() {
        return !wrk.failures().isEmpty();
    }

    String row() {
        return String.format("| %d | %s | %d | %s | %,.0f | %,.1f | %.2f | %.2f | %s | %s | %.3f | %s |", round, size,
                connections, contender, wrk.requestsPerSecond(), wrk.megabytesPerSecond(), wrk.p50Micros() / 1000.0,
                wrk.p99Micros() / 1000.0, Double.isNaN(cpuPer1k) ? "–" : String.format("%.3f", cpuPer1k),
                Double.isNaN(rssMb) ? "–" : String.format("%.0f", rssMb), upstreamPerScrape,
                failed() ? "**" + wrk.failures() + "**" : "0");
    }

    static final String HEADER = "| round | body | conns | contender | req/s | MB/s | p50 ms | p99 ms | proxy CPU s/1k req "
            + "| proxy RSS MB | upstream req/scrape | errors |\n|---|---|---|---|---|---|---|---|---|---|---|---|";
}
