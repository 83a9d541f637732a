package io.kubescrape.bench;

import io.kubescrape.exposition.FamilySet;
import io.kubescrape.exposition.TargetLabels;
import io.kubescrape.testing.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast an aggregate parses and rewrites a pod's body (a benchmark, not a test): the real node_exporter
 * exposition (57.5 KB) through {@link FamilySet#add}, one thread. Throughput in MB/s is ops/s × the body's size.
 * Run: {@code java -cp proxy-it/target/kube-sim.jar org.openjdk.jmh.Main RewriteBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RewriteBenchmark {
    @Param({"text", "openmetrics"})
    public String output;

    private ByteBuf body;
    private final TargetLabels labels = new TargetLabels("prod", "monitoring", "node-exporter-7d9f8");

    @Setup
    public void load() {
        byte[] bytes = Fixtures.bytes("node-exporter-1.5.0.prom");
        body = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    @TearDown
    public void free() {
        body.release();
    }

    /** One pod's body parsed, rewritten and merged; returns the bytes kept so nothing is optimized away. */
    @Benchmark
    public long rewrite() {
        try (FamilySet set = new FamilySet(output.equals("openmetrics"), PooledByteBufAllocator.DEFAULT, 1L << 30,
                Set.of())) {
            set.add(body.duplicate(), false, labels);
            return set.bytes();
        }
    }
}
