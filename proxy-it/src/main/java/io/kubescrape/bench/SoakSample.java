package io.kubescrape.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * kubescrape's resources at one moment of a soak: heap after a full GC (forced with jcmd), Netty's direct memory,
 * open file descriptors, upstream connections open, resident memory, and scrapes counted so far.
 */
public record SoakSample(long second, double heapAfterGcMb, double directMb, double openFiles,
                         double upstreamConnections, double rssMb, double scrapes) {

    /**
     * The resources the verdict watches for growth, by name, with the slack each may grow by in any case. Pools
     * grow to the peak concurrency of each event loop and shrink only as idle connections time out, so their count
     * drifts within that bound; a leak is caught exactly by the drain check at the end.
     */
    static final Map<String, Double> SLACK = Map.of("heap after GC (MB)", 8.0, "direct (MB)", 8.0,
            "open files", 24.0, "upstream connections", 16.0);

    static SoakSample take(Launched kubescrape, long second) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(kubescrape.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        gc.waitFor(30, TimeUnit.SECONDS);
        String m = kubescrape.get("/metrics").body();
        double mb = 1024 * 1024;
        return new SoakSample(second, Exposition.sum(m, "jvm_memory_used_bytes", "area", "heap") / mb,
                (Exposition.sum(m, "netty_allocator_memory_used", "memory_type", "direct")
                        + Exposition.sum(m, "jvm_buffer_memory_used_bytes", "id", "direct")) / mb,
                Exposition.sum(m, "process_files_open_files"),
                Exposition.sum(m, "kubescrape_upstream_connections", "state", "open"),
                ProcessStats.rssBytes(kubescrape.pid()) / mb,
                Exposition.sum(m, "kubescrape_scrape_duration_seconds_count"));
    }

    /** This sample's value of a watched resource (a key of {@link #SLACK}). */
    double value(String resource) {
        return switch (resource) {
            case "heap after GC (MB)" -> heapAfterGcMb;
            case "direct (MB)" -> directMb;
            case "open files" -> openFiles;
            case "upstream connections" -> upstreamConnections;
            default -> throw new IllegalArgumentException(resource);
        };
    }

    /** Scrape counts by "cluster/outcome", from kubescrape's exposition. */
    static Map<String, Double> outcomes(String exposition) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("kubescrape_scrape_duration_seconds_count{")) {
                out.merge(Exposition.label(line, "cluster") + "/" + Exposition.label(line, "outcome"),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return out;
    }

    static String table(List<SoakSample> samples) {
        StringBuilder t = new StringBuilder("| s | heap after GC (MB) | direct (MB) | open files | upstream conns "
                + "| RSS (MB) | scrapes |\n|---|---|---|---|---|---|---|\n");
        for (SoakSample s : samples) {
            t.append(String.format("| %d | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f |%n", s.second, s.heapAfterGcMb,
                    s.directMb, s.openFiles, s.upstreamConnections, s.rssMb, s.scrapes));
        }
        return t.toString();
    }
}
