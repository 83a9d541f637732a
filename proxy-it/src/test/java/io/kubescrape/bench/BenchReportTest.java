package io.kubescrape.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static BenchRun run(int round, String contender, double rps, long socketErrors, long timeouts) {
        long requests = (long) (rps * 10);
        Wrk.Result w = new Wrk.Result(requests, requests * 2048, 10, 1000, 4000, socketErrors, timeouts,
                Map.of(200, requests));
        return new BenchRun(round, "2k", 50, contender, w, 0.03, 200, 1.0);
    }

    @Test
    void failuresAreNamedAndTheirRoundLeftOutOfTheRatios() {
        String report = new BenchReport(List.of(
                run(1, "kubescrape", 12_000, 0, 0), run(1, "nginx", 10_000, 0, 0),
                run(2, "kubescrape", 20_000, 0, 7), run(2, "nginx", 10_000, 0, 0),
                run(3, "kubescrape", 11_000, 0, 0), run(3, "nginx", 10_000, 2, 3)))
                .markdown(List.of("2k"), List.of(50), 3);
        assertThat(report).contains("| 2 | 2k | 50 | kubescrape | 20,000 |", "| **7 timeouts** |")
                .contains("| 3 | 2k | 50 | nginx | 10,000 |", "| **2 socket errors, 3 timeouts** |")
                .contains("| 1 | 2k | 50 | kubescrape | 12,000 |", "| 0 |")
                .contains("| 2k | 50 | 2 | – |", "| 2k | 50 | 3 | – |")
                .as("the median of rounds 1 alone, not 2.00 from round 2")
                .contains("| 2k | 50 | **median** | **1.20** |");
    }

    @Test
    void transportsAreComparedWhenKubescrapeRanOnEpollToo() {
        String report = new BenchReport(List.of(
                run(1, "kubescrape", 12_000, 0, 0), run(1, "kubescrape-epoll", 10_000, 0, 0),
                run(1, "nginx", 10_000, 0, 0)))
                .markdown(List.of("2k"), List.of(50), 1);
        assertThat(report).contains("| io_uring ÷ epoll req/s |")
                .as("kubescrape ÷ kubescrape-epoll in the last column; no HTTP/2 run, so a dash before it")
                .contains("| 2k | 50 | 1 | 1.20 | 1.00 | 1.20 | – | – | – | 1.20 |");
    }
}
