package io.kubescrape.server.aggregate;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.exposition.FamilySet;
import io.kubescrape.exposition.TargetLabels;
import io.kubescrape.metrics.Shared;
import io.kubescrape.route.PodTarget;
import io.kubescrape.route.TargetRole;
import io.kubescrape.server.aggregate.SyntheticSeries.PodOutcome;
import io.kubescrape.server.scrape.AdmissionSlot;
import io.kubescrape.server.scrape.Downstream;
import io.kubescrape.server.scrape.OnLoop;
import io.kubescrape.upstream.ApiStatus;
import io.kubescrape.upstream.UpstreamGet;
import io.kubescrape.upstream.UpstreamRequests;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One aggregated scrape on its downstream channel's event loop: its pods fetched a bounded number at a time, each
 * through ADMIT like any scrape, each body parsed and merged as it arrives ({@link FamilySet}), and the answer
 * written when the last pod is in or the time budget is spent, whichever comes first: a pod still out then is down
 * with outcome {@code timeout}, so the answer is never later than the budget.
 */
final class AggregateScrape {
    private static final Logger LOG = LoggerFactory.getLogger("io.kubescrape.scrape");

    private final ChannelHandlerContext ctx;
    private final EventLoop loop;
    private final Downstream owner;
    private final AggregateRequest request;
    private final Cluster cluster;
    private final List<PodTarget> pods;
    private final PodOutcome[] outcomes;
    private final FamilySet families;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private ScheduledFuture<?> deadline;
    private int next;
    private int inFlight;
    private boolean finished;

    AggregateScrape(ChannelHandlerContext ctx, Downstream owner, AggregateRequest request, Cluster cluster,
                    List<PodTarget> pods) {
        this.ctx = ctx;
        this.loop = ctx.channel().eventLoop();
        this.owner = owner;
        this.request = request;
        this.cluster = cluster;
        this.pods = pods;
        this.outcomes = new PodOutcome[pods.size()];
        this.families = new FamilySet(request.openMetrics(), ctx.alloc(), request.limits().maxBytes(),
                SyntheticSeries.NAMES);
        this.deadlineNanos = startNanos + request.budgetNanos();
    }

    void run() {
        cluster.meters().scrapeStarted();
        deadline = loop.schedule(this::finish, request.budgetNanos(), TimeUnit.NANOSECONDS);
        pump();
    }

    /** Starts pods while fewer than the aggregate's concurrency are under way; answers once all are in. */
    private void pump() {
        while (!finished && inFlight < request.limits().concurrency() && next < pods.size()) {
            start(next++);
        }
        if (next == pods.size() && inFlight == 0) {
            finish();
        }
    }

    private void start(int i) {
        PodTarget pod = pods.get(i);
        long t0 = System.nanoTime();
        String path;
        AdmissionSlot slot = new AdmissionSlot(cluster, pod, request.caller());
        try {
            path = cluster.upstreamPathNow(pod);
            if (path == null) {
                throw new ScrapeException(ScrapeOutcome.UNKNOWN_POD, "pod " + pod.namespace() + "/" + pod.pod()
                        + " left discovery");
            }
        } catch (ScrapeException unresolved) {
            record(i, unresolved.outcome().tag(), unresolved.getMessage(), t0, 0);
            return;
        }
        inFlight++;
        try {
            if (!slot.request(loop, () -> admitted(i, slot, path, t0))) {
                return; // in line: admitted() runs when a slot frees
            }
        } catch (ScrapeException refused) {
            inFlight--;
            record(i, refused.outcome().tag(), refused.getMessage(), t0, 0);
            return;
        }
        fetch(i, slot, path, t0);
    }

    private void admitted(int i, AdmissionSlot slot, String path, long t0) {
        if (finished) {
            slot.grantedTooLate();
            return;
        }
        slot.granted();
        fetch(i, slot, path, t0);
    }

    private void fetch(int i, AdmissionSlot slot, String path, long t0) {
        long remaining = deadlineNanos - System.nanoTime();
        long maxBody = Math.max(1, request.limits().maxBytes() - families.bytes());
        UpstreamGet.start(cluster.spec(), cluster.pool(loop), path, () -> UpstreamRequests.aggregateGet(cluster.spec(),
                        path, cluster.authorization(), Math.max(0.1, remaining / 1e9)), loop,
                        (int) Math.min(Integer.MAX_VALUE - 8, maxBody), Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)))
                .whenComplete((r, err) -> OnLoop.run(loop, () -> fetched(i, slot, t0, r, err)));
    }

    private void fetched(int i, AdmissionSlot slot, long t0, UpstreamGet.Response r, Throwable err) {
        slot.giveBack();
        inFlight--;
        if (finished) {
            if (r != null) {
                r.body().release();
            }
            return;
        }
        if (err != null) {
            ScrapeException e = ScrapeException.from(err);
            record(i, e.outcome().tag(), e.getMessage(), t0, 0);
        } else {
            merge(i, r, t0);
        }
        pump();
    }

    /** A pod's answer: its body merged, or why it is down. */
    private void merge(int i, UpstreamGet.Response r, long t0) {
        ByteBuf body = r.body();
        try {
            if (r.status() < 200 || r.status() > 299) {
                String type = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
                ApiStatus status = type != null && type.startsWith("application/json")
                        ? ApiStatus.parse(ByteBufUtil.getBytes(body)) : null;
                ScrapeException e = status != null ? status.toFailure(cluster.name(), pods.get(i).permission())
                        : new ScrapeException(ScrapeOutcome.POD_ERROR, "the pod answered " + r.status());
                record(i, e.outcome().tag(), e.getMessage(), t0, 0);
                return;
            }
            if ("gzip".equalsIgnoreCase(r.headers().get(HttpHeaderNames.CONTENT_ENCODING))) {
                ByteBuf plain = BodyCoding.gunzip(body.retain(), request.limits().maxBytes() - families.bytes());
                if (plain == null) {
                    record(i, "too_large", "the body inflates past aggregate.max_bytes", t0, 0);
                    return;
                }
                body.release();
                body = plain;
            }
            String type = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
            boolean openMetrics = type != null && type.startsWith("application/openmetrics-text");
            PodTarget pod = pods.get(i);
            FamilySet.Added added = families.add(body, openMetrics, new TargetLabels(cluster.name(), pod.namespace(),
                    pod.pod()));
            cluster.meters().aggregateFamiliesDropped(added.familiesDropped());
            record(i, added.ok() ? "success" : added.outcome(), added.detail(), t0, added.samples());
        } catch (RuntimeException e) {
            record(i, "parse_error", "gzip: " + e.getMessage(), t0, 0);
        } finally {
            body.release();
        }
    }

    private void record(int i, String outcome, String detail, long t0, int samples) {
        PodTarget pod = pods.get(i);
        outcomes[i] = new PodOutcome(cluster.name(), pod.namespace(), pod.pod(), outcome, detail,
                System.nanoTime() - t0, samples);
        cluster.meters().aggregatePod(outcome);
    }

    /** The answer: every merged family, then each pod's own series; pods not in by now are down, timed out. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        deadline.cancel(false);
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                record(i, "timeout", "no complete answer within the aggregate's budget", startNanos, 0);
            }
        }
        List<PodOutcome> all = Arrays.asList(outcomes);
        long nanos = System.nanoTime() - startNanos;
        long bytes;
        try {
            bytes = AggregateResponse.send(ctx, owner, request, families, all);
        } finally {
            families.close();
        }
        cluster.meters().scrapeFinished(ScrapeOutcome.SUCCESS, TargetRole.AGGREGATE, Shared.NO, nanos, bytes, loop);
        logFailures(all, nanos);
    }

    /** One line for the whole aggregate when some pods failed: how many, by outcome, and the first one's words. */
    private void logFailures(List<PodOutcome> all, long nanos) {
        TreeMap<String, Integer> byOutcome = new TreeMap<>();
        PodOutcome first = null;
        for (PodOutcome p : all) {
            if (!p.up()) {
                byOutcome.merge(p.outcome(), 1, Integer::sum);
                first = first == null ? p : first;
            }
        }
        if (first != null && LOG.isWarnEnabled()) {
            LOG.warn("aggregate scrape role=aggregate cluster={} namespace={} pods={} down={} duration_ms={} "
                    + "first=\"{}/{} {}: {}\"", cluster.name(), request.target().namespace() == null ? "*"
                    : request.target().namespace(), all.size(), byOutcome, nanos / 1_000_000, first.namespace(),
                    first.pod(), first.outcome(), String.valueOf(first.detail()).replace('"', '\''));
        }
    }
}
