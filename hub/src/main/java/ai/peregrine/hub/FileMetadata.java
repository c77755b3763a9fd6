package ai.peregrine.hub;

import java.net.URI;

/**
 * What {@code HEAD {endpoint}/{repo}/resolve/{commit}/{file}} says about one file: the commit it was resolved at
 * ({@code X-Repo-Commit}), its ETag ({@code X-Linked-Etag} for LFS files, which is the content's sha256, else
 * {@code ETag}, the git blob id), its size ({@code X-Linked-Size}, else {@code Content-Length}) and where to GET it
 * (the CDN URL a 302 points at for LFS files, else the resolve URL itself).
 */
public record FileMetadata(String file, String commit, String etag, long size, URI location) {

    /** Whether the ETag is a sha256 (an LFS file) rather than a 40-digit git blob id. */
    public boolean isSha256Etag() {
        return etag.matches("[0-9a-f]{64}");
    }
}
