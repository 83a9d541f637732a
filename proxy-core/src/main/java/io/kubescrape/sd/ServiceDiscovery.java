package io.kubescrape.sd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every cluster's targets, rebuilt only when some cluster's pods changed (their generations are the key), and
 * rendered in Prometheus' HTTP SD format: one group per target, the full list every time, {@code []} when empty.
 * The last rendering is kept, so Prometheus polling an unchanged fleet costs a lookup.
 */
public final class ServiceDiscovery {
    private static final JsonFactory JSON = new JsonFactory();

    private record Snapshot(String key, List<ScrapeTarget> targets) {
    }

    private record Rendered(String key, byte[] json) {
    }

    /** A rendering, and whether it was made for this call (false: the previous one was still current). */
    public record Document(byte[] json, boolean fresh) {
    }

    private final Supplier<ClusterRegistry> clusters;
    private volatile Snapshot snapshot = new Snapshot("", List.of());
    private volatile Rendered rendered = new Rendered("", null);

    public ServiceDiscovery(Supplier<ClusterRegistry> clusters) {
        this.clusters = clusters;
    }

    /** The current targets of every cluster with discovery on. */
    public List<ScrapeTarget> targets() {
        return current().targets;
    }

    /** The current snapshot: its key and targets belong together, whatever other threads rebuild meanwhile. */
    private Snapshot current() {
        StringBuilder key = new StringBuilder();
        for (Cluster c : clusters.get().all()) {
            if (c.discovered() != null) {
                key.append(c.name()).append(':').append(c.discovered().generation()).append(';');
            }
        }
        Snapshot s = snapshot;
        if (s.key.contentEquals(key)) {
            return s;
        }
        List<ScrapeTarget> all = new ArrayList<>();
        for (Cluster c : clusters.get().all()) {
            if (c.discovered() != null) {
                all.addAll(TargetBuilder.build(c.spec(), c.discovered().all()));
            }
        }
        all.sort((a, b) -> a.path().compareTo(b.path()));
        s = new Snapshot(key.toString(), Collections.unmodifiableList(all));
        snapshot = s;
        return s;
    }

    /** The HTTP SD document for {@code query}, with {@code address} (HOST:PORT of kubescrape) as every target. */
    public Document render(SdQuery query, String address) {
        Snapshot s = current();
        String key = s.key + '|' + address + '|' + query;
        Rendered r = rendered;
        if (r.key.equals(key)) {
            return new Document(r.json, false);
        }
        byte[] json = write(s.targets, query, address);
        rendered = new Rendered(key, json);
        return new Document(json, true);
    }

    private static byte[] write(List<ScrapeTarget> targets, SdQuery query, String address) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, targets.size() * 600));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (ScrapeTarget t : targets) {
                if (!query.matches(t)) {
                    continue;
                }
                g.writeStartObject();
                g.writeArrayFieldStart("targets");
                g.writeString(address);
                g.writeEndArray();
                g.writeObjectFieldStart("labels");
                for (Map.Entry<String, String> e : t.labels().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
