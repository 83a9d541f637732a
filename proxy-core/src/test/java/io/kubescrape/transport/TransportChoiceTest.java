package io.kubescrape.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {
    @Test
    void autoTakesTheFastestTransportThatWorksHere() {
        String expected = IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
        assertThat(Transport.choose("auto").name()).isEqualTo(expected);
        assertThat(Transport.detect(true).name()).isEqualTo(expected);
        assertThat(Transport.detect(false).name()).isEqualTo("nio");
    }

    @Test
    void autoFallsBackToEpollWhereIoUringIsRefusedAndToNioOffLinux() {
        assertThat(Transport.auto(true, true)).isEqualTo("io_uring");
        assertThat(Transport.auto(false, true)).as("seccomp or kernel.io_uring_disabled").isEqualTo("epoll");
        assertThat(Transport.auto(false, false)).isEqualTo("nio");
    }

    @Test
    void unknownNamesAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> Transport.choose("uring"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown transport 'uring'; one of [auto, io_uring, epoll, nio]");
    }

    @Test
    void aNamedTransportThatCannotRunHereSaysWhy() {
        Transport.choose("nio"); // first: Transport sets Netty's io_uring options on loading
        if (IoUring.isAvailable()) {
            assertThat(Transport.choose("io_uring").socketChannel().getSimpleName()).isEqualTo("IoUringSocketChannel");
        } else {
            assertThatThrownBy(() -> Transport.choose("io_uring")).hasMessageStartingWith("io_uring is not available here: ");
        }
    }
}
