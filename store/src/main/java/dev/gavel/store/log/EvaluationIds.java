package dev.gavel.store.log;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered ids in the UUIDv7 layout (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter
 * that keeps ids of the same millisecond increasing within this process, then random bits. Sorting ids as
 * text sorts them by creation time.
 */
public final class EvaluationIds {
    private static long lastMillis;
    private static int counter;

    private EvaluationIds() {}

    public static String next() {
        return next(System.currentTimeMillis());
    }

    static synchronized String next(long nowMillis) {
        long millis = Math.max(nowMillis, lastMillis);
        if (millis == lastMillis) {
            counter++;
            if (counter > 0xFFF) { // 4,096 ids in one millisecond: borrow the next one
                millis++;
                counter = 0;
            }
        } else {
            counter = 0;
        }
        lastMillis = millis;
        long high = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter;
        long low = ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
