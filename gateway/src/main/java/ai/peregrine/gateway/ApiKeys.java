package ai.peregrine.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The accepted API keys, kept only as SHA-256 hashes. A presented key is hashed and compared with every stored
 * hash in constant time, so neither the match nor its position leaks through timing.
 */
public final class ApiKeys {
    private final List<byte[]> hashes = new ArrayList<>();

    public ApiKeys(List<String> keys) {
        for (String k : keys) {
            if (!k.isBlank()) hashes.add(sha256(k.strip()));
        }
    }

    /** Keys from a file, one a line; blank lines and lines starting with '#' are skipped. */
    public static List<String> readFile(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    public boolean required() {
        return !hashes.isEmpty();
    }

    /** The key's id (a prefix of its hash, safe to log), or empty when it is not one of ours. */
    public Optional<String> identify(String presented) {
        byte[] h = sha256(presented);
        boolean found = false;
        for (byte[] stored : hashes) found |= MessageDigest.isEqual(stored, h);
        return found ? Optional.of(idOf(h)) : Optional.empty();
    }

    static String idOf(byte[] hash) {
        return HexFormat.of().formatHex(hash, 0, 6);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
