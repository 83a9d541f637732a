package io.kubescrape.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {
    @Test
    void autoTakesEpollWhereItWorks() {
        String chosen = Transport.choose("auto").name();
        String expected = Epoll.isAvailable() ? "epoll" : "nio";
        assertThat(chosen).isEqualTo(expected);
        assertThat(Transport.detect(true).name()).isEqualTo(expected);
        assertThat(Transport.detect(false).name()).isEqualTo("nio");
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
