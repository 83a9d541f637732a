package io.kubescrape.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    @Test
    void admitsUpToTheLimitQueuesBoundedAndHandsSlotsOn() {
        Admission a = new Admission(2, 1);
        List<String> ran = new ArrayList<>();
        Admission.Ticket[] t = new Admission.Ticket[1];
        assertThat(a.admit(Runnable::run, () -> ran.add("x"), t)).isEqualTo(Admission.Decision.ADMITTED);
        assertThat(a.admit(Runnable::run, () -> ran.add("x"), t)).isEqualTo(Admission.Decision.ADMITTED);
        assertThat(a.admit(Runnable::run, () -> ran.add("third"), t)).isEqualTo(Admission.Decision.QUEUED);
        Admission.Ticket[] t4 = new Admission.Ticket[1];
        assertThat(a.admit(Runnable::run, () -> ran.add("fourth"), t4)).isEqualTo(Admission.Decision.REJECTED);
        a.release();
        assertThat(ran).containsExactly("third");
        assertThat(a.inFlight()).isEqualTo(2);
        assertThat(a.queued()).isZero();
    }

    @Test
    void aCancelledTicketPassesItsSlotOn() {
        Admission a = new Admission(1, 5);
        List<String> ran = new ArrayList<>();
        Admission.Ticket[] first = new Admission.Ticket[1];
        Admission.Ticket[] gone = new Admission.Ticket[1];
        a.admit(Runnable::run, () -> ran.add("first"), first);
        a.admit(Runnable::run, () -> ran.add("gone"), gone);
        a.admit(Runnable::run, () -> ran.add("next"), new Admission.Ticket[1]);
        gone[0].cancel();
        a.release();
        assertThat(ran).containsExactly("next");
        assertThat(a.inFlight()).isEqualTo(1);
    }

    @Test
    void neverMoreThanTheLimitUnderConcurrency() throws Exception {
        Admission a = new Admission(4, 10_000);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        int scrapes = 2000;
        CountDownLatch done = new CountDownLatch(scrapes);
        Runnable work = () -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            running.decrementAndGet();
            a.release();
            done.countDown(); // after the release, so the final check sees every slot returned
        };
        for (int i = 0; i < scrapes; i++) {
            pool.execute(() -> {
                if (a.admit(pool, work, new Admission.Ticket[1]) == Admission.Decision.ADMITTED) {
                    work.run();
                }
            });
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(peak.get()).isLessThanOrEqualTo(4);
        assertThat(a.inFlight()).isZero();
    }
}
