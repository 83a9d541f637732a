package io.kubescrape.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
    private String multishot;
    private String lowMemory;

    @BeforeEach
    void save() {
        multishot = System.getProperty(NettyDefaults.MULTISHOT_POLL);
        lowMemory = System.getProperty(NettyDefaults.LOW_MEMORY);
    }

    @AfterEach
    void restore() {
        restore(NettyDefaults.MULTISHOT_POLL, multishot);
        restore(NettyDefaults.LOW_MEMORY, lowMemory);
    }

    @Test
    void pooledBuffersAndOneShotPollsUnlessTheOperatorSaysOtherwise() {
        System.clearProperty(NettyDefaults.MULTISHOT_POLL);
        System.clearProperty(NettyDefaults.LOW_MEMORY);
        NettyDefaults.apply();
        assertEquals("false", System.getProperty(NettyDefaults.MULTISHOT_POLL));
        assertEquals("false", System.getProperty(NettyDefaults.LOW_MEMORY));
    }

    @Test
    void anOperatorsOwnSettingWins() {
        System.setProperty(NettyDefaults.MULTISHOT_POLL, "true");
        System.setProperty(NettyDefaults.LOW_MEMORY, "true");
        NettyDefaults.apply();
        assertEquals("true", System.getProperty(NettyDefaults.MULTISHOT_POLL));
        assertEquals("true", System.getProperty(NettyDefaults.LOW_MEMORY));
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
