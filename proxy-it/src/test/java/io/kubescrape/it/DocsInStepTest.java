package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.server.lifecycle.KubescrapeMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The user documentation says what the binary does: every command-line option is in configuration.md's table,
 * every outcome tag is in prometheus.md's outcome table with its side, and the alert rules page for exactly the
 * kubescrape and API-server sides and warn for exactly the pod side.
 */
class DocsInStepTest {
    private static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();
    private static final Pattern TAG = Pattern.compile("`([a-z_]+)`");

    @Test
    void everyCommandLineOptionIsInTheConfigurationTable() throws Exception {
        List<String> table = section(Files.readString(DOCS.resolve("configuration.md")), "## Command line");
        List<String> documented = new ArrayList<>();
        for (String row : table) {
            Matcher m = Pattern.compile("`(--[a-z-]+)").matcher(row.split("\\|")[1]);
            while (m.find()) {
                documented.add(m.group(1));
            }
        }
        List<String> options = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : new CommandLine(new KubescrapeMain()).getCommandSpec().options()) {
            options.add(o.longestName());
        }
        assertThat(options).contains("--shutdown-grace", "--help", "--version");
        assertThat(documented).as("options in docs/configuration.md's command-line table")
                .containsExactlyInAnyOrderElementsOf(options);
    }

    @Test
    void everyOutcomeIsInTheOutcomeTableOnce() throws Exception {
        Map<String, String> sides = outcomeSides();
        Set<String> tags = new TreeSet<>();
        Arrays.stream(ScrapeOutcome.values()).forEach(o -> tags.add(o.tag()));
        assertThat(sides.keySet()).as("outcome tags in docs/prometheus.md").isEqualTo(tags);
        assertThat(new TreeSet<>(sides.values())).containsExactly("API server", "caller", "kubescrape", "pod", "—");
    }

    @Test
    void alertsPageForKubescrapeAndApiServerOutcomesAndWarnForThePods() throws Exception {
        Map<String, String> sides = outcomeSides();
        Set<String> serverSide = new TreeSet<>();
        Set<String> podSide = new TreeSet<>();
        sides.forEach((tag, side) -> {
            if (side.equals("kubescrape") || side.equals("API server")) {
                serverSide.add(tag);
            } else if (side.equals("pod")) {
                podSide.add(tag);
            }
        });
        Map<String, JsonNode> rules = new TreeMap<>();
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("alerts.yml").toFile());
        for (JsonNode group : doc.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                rules.put(rule.get("alert").asText(), rule);
            }
        }
        JsonNode page = rules.get("KubescrapeScrapeFailures");
        JsonNode warn = rules.get("KubescrapePodScrapeFailures");
        assertThat(page.at("/labels/severity").asText()).isEqualTo("critical");
        assertThat(warn.at("/labels/severity").asText()).isEqualTo("warning");
        assertThat(rules.get("KubescrapeTargetDown").at("/labels/severity").asText()).isEqualTo("warning");
        assertThat(outcomesIn(page.get("expr").asText())).isEqualTo(serverSide);
        assertThat(outcomesIn(warn.get("expr").asText())).isEqualTo(podSide);
    }

    /** The outcome tags a rule's {@code outcome=~"a|b"} matcher names. */
    private static Set<String> outcomesIn(String expr) {
        Matcher m = Pattern.compile("outcome=~\"([a-z_|]+)\"").matcher(expr);
        assertThat(m.find()).as(expr).isTrue();
        return new TreeSet<>(List.of(m.group(1).split("\\|")));
    }

    /** Outcome tag to side, from the table in prometheus.md (columns: status, tag, side, meaning). */
    private static Map<String, String> outcomeSides() throws Exception {
        String text = Files.readString(DOCS.resolve("prometheus.md"));
        Map<String, String> sides = new TreeMap<>();
        for (String row : section(text, "## What Prometheus sees when something fails")) {
            String[] cells = row.split("\\|");
            Matcher m = TAG.matcher(cells[2]);
            while (m.find()) {
                assertThat(sides.put(m.group(1), cells[3].trim())).as("listed twice: " + m.group(1)).isNull();
            }
        }
        return sides;
    }

    /** The body rows of the first table after {@code heading}. */
    private static List<String> section(String text, String heading) {
        int at = text.indexOf(heading);
        assertThat(at).as(heading).isNotNegative();
        List<String> rows = new ArrayList<>();
        for (String line : text.substring(at).split("\n")) {
            if (line.startsWith("|")) {
                rows.add(line);
            } else if (!rows.isEmpty()) {
                break;
            }
        }
        return rows.subList(2, rows.size()); // after the header and its |---| line
    }
}
