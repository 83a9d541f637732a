package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The browse UI in real headless Chromium: it loads, filters, links to metrics, and keeps cluster text as text. */
class BrowseUiTest {
    private static final String HOSTILE = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>";
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(10).withoutFaultPods();
    @RegisterExtension
    @Order(2)
    static final KubescrapeExtension KUBESCRAPE = KubescrapeExtension.against(SIM);
    private static ChromeDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.onPath("chromium"), () -> Tools.missing("chromium", "chromium"));
        assumeTrue(Tools.onPath("chromedriver"), () -> Tools.missing("chromedriver", "chromium-driver"));
        SIM.server().addPod(1000, Map.of("team", HOSTILE)); // web-200: text no real API server allows, sent anyway
        Harness.get(KUBESCRAPE.url() + "/clusters/kube-sim/ns/default/pods/web-0/metrics"); // a last scrape to show
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static List<WebElement> visibleRows() {
        return browser.findElements(By.cssSelector("tbody tr")).stream().filter(WebElement::isDisplayed).toList();
    }

    @Test
    void browseFilterFollowAndEscape() {
        browser.get(KUBESCRAPE.url() + "/");
        wait.until(d -> d.findElement(By.tagName("h1")).getText().equals("kubescrape"));
        WebElement row = browser.findElement(By.cssSelector("tbody tr"));
        assertThat(row.getText()).contains("kube-sim").contains("synced");

        browser.findElement(By.linkText("kube-sim")).click();
        wait.until(d -> d.findElements(By.cssSelector("tbody tr")).size() > 5);
        int all = visibleRows().size();
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("200 success");

        WebElement filter = browser.findElement(By.id("filter"));
        filter.sendKeys("worker-1");
        wait.until(d -> visibleRows().size() == 1);
        assertThat(visibleRows().get(0).getText()).contains("worker-1");
        // clear() sends no input event; reset the box the way typing would.
        ((JavascriptExecutor) browser).executeScript(
                "const f=document.getElementById('filter'); f.value=''; f.dispatchEvent(new Event('input'));");
        wait.until(d -> visibleRows().size() == all);

        WebElement hostile = visibleRows().stream().filter(r -> r.getText().contains("web-200")).findFirst().orElseThrow();
        assertThat(hostile.getText()).as("cluster text shown as text").contains("team=" + HOSTILE);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("tbody img"))).isEmpty();

        WebElement webZero = visibleRows().stream().filter(r -> r.getText().startsWith("default web-0 "))
                .findFirst().orElseThrow();
        webZero.findElement(By.linkText("view")).click();
        wait.until(d -> d.findElement(By.id("count")).getText().endsWith("families"));
        String page = browser.findElement(By.id("metrics-view")).getText();
        assertThat(page).contains("sim_request_duration_seconds").contains("histogram")
                .contains("Request latency, by handler.").contains("sim_rpc_duration_seconds").contains("summary");
        browser.findElement(By.id("filter")).sendKeys("rpc_duration");
        wait.until(d -> d.findElements(By.cssSelector("#metrics-view details")).stream()
                .filter(WebElement::isDisplayed).count() == 1);

        browser.findElement(By.linkText("/clusters/kube-sim/ns/default/pods/web-0/metrics")).click();
        wait.until(d -> d.findElement(By.tagName("body")).getText().startsWith("# HELP sim_pod_info"));
    }

    @Test
    void theClusterPageSaysWhichPodsAreTargetsAndWhyOthersAreNot() {
        browser.get(KUBESCRAPE.url() + "/ui/clusters/kube-sim");
        wait.until(d -> d.findElements(By.cssSelector("tbody tr")).size() > 5);
        long targets = visibleRows().stream().filter(r -> r.findElement(By.className("target")).getText()
                .startsWith("yes")).count();
        assertThat(browser.findElement(By.id("targets")).getText()).isEqualTo(targets + " targets");
        for (WebElement row : visibleRows()) {
            String pod = row.findElements(By.tagName("td")).get(1).getText();
            assertThat(row.findElement(By.className("target")).getText().startsWith("yes"))
                    .as("only the cache pods lack the scrape annotation: " + pod).isEqualTo(!pod.startsWith("cache-"));
        }
        WebElement cache = visibleRows().stream().filter(r -> r.getText().startsWith("default cache-0 "))
                .findFirst().orElseThrow();
        assertThat(cache.findElement(By.className("target")).getText())
                .isEqualTo("no: no prometheus.io/scrape: \"true\" annotation");
    }

    @Test
    void aFailedPodShowsItsErrorInsteadOfLoading() {
        browser.get(KUBESCRAPE.url() + "/ui/clusters/kube-sim/ns/default/pods/gone-0/metrics");
        wait.until(d -> d.findElement(By.id("count")).getText().equals("failed"));
        String view = browser.findElement(By.id("metrics-view")).getText();
        assertThat(view).startsWith("404 ").contains("not found").doesNotContain("loading");
    }
}
