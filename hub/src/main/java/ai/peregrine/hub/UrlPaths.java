package ai.peregrine.hub;

import java.nio.charset.StandardCharsets;

/** Percent-encoding as Python's {@code urllib.parse.quote}: unreserved characters stay, everything else is %XX. */
final class UrlPaths {
    private UrlPaths() {}

    /** Encodes one path segment: '/' too ({@code quote(s, safe="")}), as the hub wants for revisions. */
    static String segment(String s) {
        return encode(s, false);
    }

    /** Encodes a repository file path, keeping its '/' separators ({@code quote(s)}). */
    static String path(String s) {
        return encode(s, true);
    }

    private static String encode(String s, boolean keepSlash) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            boolean plain = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || keepSlash && c == '/';
            if (plain) b.append((char) c);
            else b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return b.toString();
    }
}
