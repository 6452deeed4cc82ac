package dev.gavel.engine.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A policy's stable id: a name-based UUID (RFC 4122 version 5, SHA-1) of its file path in a
 * namespace of Gavel's own. Derived, not stored, so it is the same on every replica, after a
 * restart and at every commit for as long as the policy file keeps its scope and name; a policy
 * moved or renamed is a new policy. Every face renders this one value in its own format: a UUID
 * ({@link #uuid()}) or a ULID ({@link #ulid()}, Crockford base32 of the same 128 bits, as in
 * {@code per_<ulid>}).
 */
public record PolicyId(long msb, long lsb) {
    /** Gavel's namespace for name-based ids: a fixed constant; changing it changes every id. */
    static final UUID NAMESPACE = UUID.fromString("8f2b1c9e-5a4d-5f0e-9c61-3b7d2e4a1f60");

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    public static PolicyId of(PolicyPath path) {
        return of(path.scope(), path.name());
    }

    public static PolicyId of(ScopePath scope, String name) {
        return nameBased(scope.dotted() + "/" + name);
    }

    private static PolicyId nameBased(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
        sha1.update(longBytes(NAMESPACE.getMostSignificantBits()));
        sha1.update(longBytes(NAMESPACE.getLeastSignificantBits()));
        byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
        h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (h[i] & 0xff);
            lsb = (lsb << 8) | (h[i + 8] & 0xff);
        }
        return new PolicyId(msb, lsb);
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /** The id as a UUID string, e.g. {@code 3f1c...-...}. */
    public String uuid() {
        return new UUID(msb, lsb).toString();
    }

    /** The id as a 26-character ULID (Crockford base32, upper case) of the same 128 bits. */
    public String ulid() {
        char[] out = new char[26];
        // 128 bits as 26 base32 digits: the first digit carries the top 3 bits.
        long hi = msb;
        long lo = lsb;
        for (int i = 25; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo = (lo >>> 5) | (hi << 59);
            hi >>>= 5;
        }
        return new String(out);
    }

    /** Reads a UUID string; empty when it is not one. */
    public static Optional<PolicyId> parseUuid(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID u = UUID.fromString(text);
            return Optional.of(new PolicyId(u.getMostSignificantBits(), u.getLeastSignificantBits()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Reads a 26-character ULID (case-insensitive, Crockford base32); empty when it is not one. */
    public static Optional<PolicyId> parseUlid(String text) {
        if (text == null || text.length() != 26) {
            return Optional.empty();
        }
        String s = text.toUpperCase(Locale.ROOT);
        if (s.charAt(0) > '7') {
            return Optional.empty(); // over 128 bits
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 26; i++) {
            int d = digit(s.charAt(i));
            if (d < 0) {
                return Optional.empty();
            }
            hi = (hi << 5) | (lo >>> 59);
            lo = (lo << 5) | d;
        }
        return Optional.of(new PolicyId(hi, lo));
    }

    private static int digit(char c) {
        for (int i = 0; i < CROCKFORD.length; i++) {
            if (CROCKFORD[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return uuid();
    }
}
