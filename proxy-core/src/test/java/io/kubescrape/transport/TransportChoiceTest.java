package io.kubescrape.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {
    @Test
    void autoTakesTheFastestThatWorksHere() {
        String chosen = Transport.choose("auto").name(); // first: Transport sets Netty's io_uring options on loading
        String expected = IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
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
        if (Transport.choose("auto").name().equals("io_uring")) {
            assertThat(Transport.choose("io_uring").socketChannel().getSimpleName()).isEqualTo("IoUringSocketChannel");
        } else {
            assertThatThrownBy(() -> Transport.choose("io_uring")).hasMessageStartingWith("io_uring is not available here: ");
        }
    }
}
