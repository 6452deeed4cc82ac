package dev.gavel.store.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/** The log's keyset cursors and its time encoding (microseconds since the epoch, saturated). */
final class LogTimes {
    private LogTimes() {}

    static String cursor(long timeMicros, long seq) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((timeMicros + ":" + seq).getBytes(StandardCharsets.US_ASCII));
    }

    static long[] readCursor(String c) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(c), StandardCharsets.US_ASCII).split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException();
            }
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a cursor of this list");
        }
    }

    /**
     * Microseconds since the epoch, saturated: any Instant a filter may carry (years -1e9 to 1e9) maps to a
     * comparable long instead of overflowing (ChronoUnit.MICROS.between goes through nanoseconds, which
     * overflow after 2262).
     */
    static long micros(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds > Long.MAX_VALUE / 1_000_000 - 1) {
            return Long.MAX_VALUE;
        }
        if (seconds < Long.MIN_VALUE / 1_000_000 + 1) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000 + t.getNano() / 1_000;
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
