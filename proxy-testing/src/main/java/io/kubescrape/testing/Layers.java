package io.kubescrape.testing;

import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;

/** An ArchUnit rule from an ordered list of packages, bottom first: each may use those before it, none after. */
public final class Layers {
    private Layers() {
    }

    /** @param root the packages' parent, e.g. {@code io.kubescrape}; {@code layers} are its sub-packages */
    public static LayeredArchitecture bottomUp(String root, List<String> layers) {
        LayeredArchitecture rule = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : layers) {
            rule = rule.layer(layer).definedBy(root + "." + layer + "..");
        }
        for (int i = 0; i < layers.size() - 1; i++) {
            rule = rule.whereLayer(layers.get(i)).mayOnlyBeAccessedByLayers(
                    layers.subList(i + 1, layers.size()).toArray(String[]::new));
        }
        return rule.whereLayer(layers.get(layers.size() - 1)).mayNotBeAccessedByAnyLayer();
    }

    /** The packages {@code root.<layer>..}, for a rule that every class sits in one of them. */
    public static String[] packages(String root, List<String> layers) {
        return layers.stream().map(l -> root + "." + l + "..").toArray(String[]::new);
    }
}
