package ai.peregrine.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks a downloaded blob against its ETag as it streams in: the sha256 of the content for LFS files (a 64-digit
 * ETag), the git blob id ({@code sha1("blob <size>\0" + content)}) for files kept in git (a 40-digit ETag).
 * Other ETags (not the hub's forms) get the size check only.
 */
final class BlobVerifier {
    private final String etag;
    private final long size;
    private final String algorithm;
    private MessageDigest digest;

    BlobVerifier(String etag, long size) {
        this.etag = etag;
        this.size = size;
        this.algorithm = etag.matches("[0-9a-f]{64}") ? "SHA-256" : etag.matches("[0-9a-f]{40}") ? "SHA-1" : null;
        reset();
    }

    void reset() {
        if (algorithm == null) return;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (algorithm.equals("SHA-1")) digest.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    void update(byte[] b, int off, int len) {
        if (digest != null) digest.update(b, off, len);
    }

    /** Feeds the bytes already on disk (a resumed download's first part). */
    void absorb(Path file) throws IOException {
        if (digest == null) return;
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) digest.update(buf, 0, n);
        }
    }

    /** Empty when the bytes match; otherwise what was expected and what arrived. */
    Optional<String> mismatch(long received) {
        if (received != size) return Optional.of("size " + received + " bytes, expected " + size);
        if (digest == null) return Optional.empty();
        String got = HexFormat.of().formatHex(digest.digest());
        String name = algorithm.equals("SHA-256") ? "sha256" : "git blob sha1";
        return got.equals(etag) ? Optional.empty() : Optional.of(name + " " + got + ", expected " + etag);
    }
}
