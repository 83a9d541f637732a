package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.metrics.PoolStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-loop pool on Netty's local transport: reuse, bounds, waiting, timeouts and server-side closes. */
class UpstreamPoolTest {
    private EventLoopGroup group;
    private EventLoop loop;
    private LocalAddress address;
    private Channel server;
    private final List<Channel> accepted = new CopyOnWriteArrayList<>();
    private final PoolStats stats = new PoolStats();

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        loop = group.next();
        address = new LocalAddress("api-" + UUID.randomUUID());
        server = bindServer();
    }

    /** The stand-in API server: accepts connections at {@code address} and keeps them. */
    private Channel bindServer() throws InterruptedException {
        return new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.add(ch);
                    }
                }).bind(address).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private UpstreamPool pool(int max, int maxPending, Duration acquireTimeout, Duration idleTimeout) {
        UpstreamSettings u = new UpstreamSettings(max, maxPending, Duration.ofSeconds(1), acquireTimeout, idleTimeout,
                null, null, null, null, null, null, null, null).orElse(UpstreamSettings.BUILTIN);
        ClusterSpec spec = new ClusterSpec("local", URI.create("http://local:1"), "test",
                new TlsSettings(null, false, null, null, null), CredentialSpec.NONE, ScrapeSettings.BUILTIN, u, DiscoverySettings.OFF);
        return new UpstreamPool(loop, spec, () -> null, stats, LocalChannel.class, address, max);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private Channel acquire(UpstreamPool pool, boolean fresh) throws Exception {
        return channel(onLoop(() -> pool.acquire(fresh)).get(5, TimeUnit.SECONDS));
    }

    private static Channel channel(UpstreamLink link) {
        return ((UpstreamHandler) link).channel();
    }

    private static UpstreamLink link(Channel ch) {
        return UpstreamHandler.of(ch);
    }

    private void run(Runnable r) throws Exception {
        onLoop(() -> {
            r.run();
            return null;
        });
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.sleep(10);
        }
    }

    private static ScrapeOutcome failure(Future<UpstreamLink> f) throws Exception {
        try {
            f.get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return ((ScrapeException) e.getCause()).outcome();
        }
    }

    @Test
    void reusesAReleasedConnection() throws Exception {
        UpstreamPool pool = pool(2, 10, Duration.ofSeconds(1), Duration.ofMinutes(1));
        Channel a = acquire(pool, false);
        run(() -> pool.release(link(a)));
        assertThat(stats.idle.get()).isEqualTo(1);
        Channel b = acquire(pool, false);
        assertThat(b).isSameAs(a);
        assertThat(stats.open.get()).isEqualTo(1);
        assertThat(stats.idle.get()).isZero();
        assertThat(accepted).hasSize(1);
    }

    @Test
    void atTheLimitAcquiresWaitAndGetTheNextReleasedConnection() throws Exception {
        UpstreamPool pool = pool(2, 10, Duration.ofSeconds(5), Duration.ofMinutes(1));
        Channel a = acquire(pool, false);
        acquire(pool, false);
        Future<UpstreamLink> waiting = onLoop(() -> pool.acquire(false));
        assertThat(waiting.isDone()).isFalse();
        assertThat(stats.pendingAcquires.get()).isEqualTo(1);
        run(() -> pool.release(link(a)));
        assertThat(channel(waiting.get(5, TimeUnit.SECONDS))).isSameAs(a);
        assertThat(stats.pendingAcquires.get()).isZero();
        assertThat(accepted).hasSize(2);
    }

    @Test
    void aWaiterGivesUpAtTheAcquireTimeout() throws Exception {
        UpstreamPool pool = pool(1, 10, Duration.ofMillis(200), Duration.ofMinutes(1));
        acquire(pool, false);
        long t0 = System.nanoTime();
        Future<UpstreamLink> waiting = onLoop(() -> pool.acquire(false));
        assertThat(failure(waiting)).isEqualTo(ScrapeOutcome.POOL_EXHAUSTED);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
        assertThat(stats.pendingAcquires.get()).isZero();
    }

    @Test
    void theWaitQueueIsBounded() throws Exception {
        UpstreamPool pool = pool(1, 1, Duration.ofSeconds(5), Duration.ofMinutes(1));
        acquire(pool, false);
        Future<UpstreamLink> first = onLoop(() -> pool.acquire(false));
        Future<UpstreamLink> second = onLoop(() -> pool.acquire(false));
        assertThat(second.isDone()).isTrue();
        assertThat(failure(second)).isEqualTo(ScrapeOutcome.POOL_EXHAUSTED);
        assertThat(first.isDone()).isFalse();
    }

    @Test
    void aDiscardedConnectionFreesItsSlotForAWaiter() throws Exception {
        UpstreamPool pool = pool(1, 10, Duration.ofSeconds(5), Duration.ofMinutes(1));
        Channel a = acquire(pool, false);
        Future<UpstreamLink> waiting = onLoop(() -> pool.acquire(false));
        run(() -> pool.discard(link(a)));
        Channel b = channel(waiting.get(5, TimeUnit.SECONDS));
        assertThat(b).isNotSameAs(a);
        assertThat(a.isOpen()).isFalse();
        assertThat(b.isActive()).isTrue();
        assertThat(stats.open.get()).isEqualTo(1);
    }

    @Test
    void anIdleConnectionTheServerClosesLeavesThePoolAtOnce() throws Exception {
        UpstreamPool pool = pool(2, 10, Duration.ofSeconds(1), Duration.ofMinutes(1));
        Channel a = acquire(pool, false);
        run(() -> pool.release(link(a)));
        accepted.get(0).close().sync();
        await(() -> stats.open.get() == 0 && stats.idle.get() == 0);
        Channel b = acquire(pool, false);
        assertThat(b).isNotSameAs(a);
        assertThat(accepted).hasSize(2);
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        UpstreamPool pool = pool(2, 10, Duration.ofSeconds(1), Duration.ofMillis(300));
        Channel a = acquire(pool, false);
        run(() -> pool.release(link(a)));
        await(() -> !a.isOpen());
        await(() -> stats.open.get() == 0 && stats.idle.get() == 0);
    }

    @Test
    void aFreshAcquireAtTheLimitReplacesTheStalestIdleConnection() throws Exception {
        UpstreamPool pool = pool(1, 10, Duration.ofSeconds(1), Duration.ofMinutes(1));
        Channel a = acquire(pool, false);
        run(() -> pool.release(link(a)));
        Channel b = acquire(pool, true);
        assertThat(b).isNotSameAs(a);
        await(() -> !a.isOpen());
        await(() -> stats.open.get() == 1);
    }

    @Test
    void anUnreachableServerIsAConnectFailure() throws Exception {
        server.close().sync();
        UpstreamPool pool = pool(1, 10, Duration.ofSeconds(1), Duration.ofMinutes(1));
        assertThat(failure(onLoop(() -> pool.acquire(false)))).isEqualTo(ScrapeOutcome.UPSTREAM_CONNECT);
        await(() -> stats.open.get() == 0);
        assertThat(stats.connectFailures.get()).isEqualTo(1);
    }

    @Test
    void repeatedConnectFailuresOpenTheCircuitThenOneTrialClosesIt() throws Exception {
        server.close().sync();
        CircuitBreaker breaker = new CircuitBreaker(3, 300);
        UpstreamSettings u = new UpstreamSettings(2, 10, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMinutes(1), null, null, null, null, null, null, null, null).orElse(UpstreamSettings.BUILTIN);
        ClusterSpec spec = new ClusterSpec("local", URI.create("http://local:1"), "test",
                new TlsSettings(null, false, null, null, null), CredentialSpec.NONE, ScrapeSettings.BUILTIN, u,
                DiscoverySettings.OFF);
        UpstreamPool pool = new UpstreamPool(loop, spec, () -> null, stats, LocalChannel.class, address, 2, breaker);
        for (int i = 0; i < 3; i++) {
            assertThat(failure(onLoop(() -> pool.acquire(false)))).isEqualTo(ScrapeOutcome.UPSTREAM_CONNECT);
        }
        assertThat(breaker.open()).isTrue();
        Future<UpstreamLink> fast = onLoop(() -> pool.acquire(false));
        assertThat(failure(fast)).isEqualTo(ScrapeOutcome.UPSTREAM_CONNECT);
        assertThat(stats.connectFailures.get()).as("no connection was even tried while open").isEqualTo(3);

        server = bindServer();
        Thread.sleep(350); // the cooldown passes: one trial goes through, succeeds, and closes the circuit
        assertThat(acquire(pool, false).isActive()).isTrue();
        assertThat(breaker.open()).isFalse();
    }

    @Test
    void closingFailsWaitersAndClosesIdleConnections() throws Exception {
        UpstreamPool pool = pool(1, 10, Duration.ofSeconds(5), Duration.ofMinutes(1));
        Channel a = acquire(pool, false);
        Future<UpstreamLink> waiting = onLoop(() -> pool.acquire(false));
        run(pool::close);
        assertThat(failure(waiting)).isEqualTo(ScrapeOutcome.POOL_EXHAUSTED);
        run(() -> pool.release(link(a)));
        await(() -> !a.isOpen());
        assertThatThrownBy(() -> acquire(pool, false)).hasCauseInstanceOf(ScrapeException.class);
    }
}
