package io.kubescrape.exposition;

import java.nio.charset.StandardCharsets;

/**
 * The labels an aggregate adds to every sample of a pod ({@code cluster}, {@code namespace}, {@code pod}), and how a
 * sample's own label of the same name is kept: renamed {@code exported_<name>} (again prefixed while that is taken),
 * as Prometheus does with {@code honor_labels: false}.
 */
public final class TargetLabels {
    private final byte[] prefix;

    /** Validated Kubernetes names, which need no escaping in a label value. */
    public TargetLabels(String cluster, String namespace, String pod) {
        this.prefix = ("cluster=\"" + cluster + "\",namespace=\"" + namespace + "\",pod=\"" + pod + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code {target labels,sample labels}} for the reader's current sample. */
    void write(ExpositionReader r, ByteSink out) {
        byte[] b = r.body();
        out.write('{');
        out.write(prefix);
        for (int i = 0; i < r.labelCount; i++) {
            int ns = r.labels[i * 4];
            int ne = r.labels[i * 4 + 1];
            out.write(',');
            int depth = exportDepth(r, ns, ne);
            for (int d = 0; d < depth; d++) {
                out.writeAscii("exported_");
            }
            out.write(b, ns, ne - ns);
            out.write('=');
            out.write('"');
            out.write(b, r.labels[i * 4 + 2], r.labels[i * 4 + 3] - r.labels[i * 4 + 2]);
            out.write('"');
        }
        out.write('}');
    }

    /**
     * How many {@code exported_} prefixes the label needs: none unless it is one of the target labels; then one more
     * for each {@code exported_…} name the sample already has, as Prometheus' loop does.
     */
    private int exportDepth(ExpositionReader r, int ns, int ne) {
        if (!isTargetLabel(r.body(), ns, ne)) {
            return 0;
        }
        int depth = 1;
        while (hasLabel(r, depth, ns, ne)) {
            depth++;
        }
        return depth;
    }

    /** cluster, namespace or pod: told apart by length first, as nearly every label is none of them. */
    private boolean isTargetLabel(byte[] b, int ns, int ne) {
        return switch (ne - ns) {
            case 3 -> equalsAscii(b, ns, "pod");
            case 7 -> equalsAscii(b, ns, "cluster");
            case 9 -> equalsAscii(b, ns, "namespace");
            default -> false;
        };
    }

    /** Whether the sample has a label named ("exported_" × depth) + name. */
    private static boolean hasLabel(ExpositionReader r, int depth, int ns, int ne) {
        int want = depth * 9 + (ne - ns);
        for (int i = 0; i < r.labelCount; i++) {
            int s = r.labels[i * 4];
            int e = r.labels[i * 4 + 1];
            if (e - s != want) {
                continue;
            }
            boolean match = true;
            for (int d = 0; d < depth && match; d++) {
                match = equalsAscii(r.body(), s + d * 9, "exported_");
            }
            if (match && Labels.same(r.body(), s + depth * 9, e, ns, ne)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsAscii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
