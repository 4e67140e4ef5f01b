package io.elanus.proxy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** At most one line per interval, each counting the occurrences it stood for. */
class ThrottledLogTest {
    @Test
    void logsOncePerIntervalWithTheCountOfSuppressedOccurrences() {
        Logger logger = (Logger) LoggerFactory.getLogger("throttled-log-test");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        AtomicLong now = new AtomicLong(1_000);
        ThrottledLog log = new ThrottledLog(logger, 100, now::get);
        for (int i = 0; i < 5; i++) {
            log.warn("bad request");
        }
        now.addAndGet(99);
        log.warn("bad request");
        now.addAndGet(1);
        log.warn("bad request");
        now.addAndGet(500);
        log.warn("bad request");
        logger.detachAppender(lines);
        assertEquals(List.of("bad request", "bad request (and 5 more like it since the last report)", "bad request"),
                lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
}
