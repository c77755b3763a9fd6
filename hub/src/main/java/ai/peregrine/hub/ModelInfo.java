package ai.peregrine.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /api/models/{repo}/revision/{revision}?blobs=true} says about a repository: the commit the
 * revision points at and its files, with size, git blob id and, for LFS files, the sha256 of the content.
 */
public record ModelInfo(String id, String commit, String gated, List<RepoFile> files) {

    /** One file of the repository ({@code siblings[]}); size and ids are null when the hub left them out. */
    public record RepoFile(String name, Long size, String blobId, String lfsSha256) {
        public boolean isLfs() {
            return lfsSha256 != null;
        }
    }

    public Optional<RepoFile> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public boolean has(String name) {
        return file(name).isPresent();
    }

    static ModelInfo fromJson(JsonNode root, RepoId repo) {
        String sha = text(root, "sha");
        if (sha == null || !RepoId.isCommitHash(sha)) {
            throw new HubException(HubException.Kind.BAD_RESPONSE, "the hub's model info for " + repo
                    + " has no commit sha (\"sha\": " + root.get("sha") + "); is HF_ENDPOINT a Hugging Face hub?");
        }
        JsonNode siblings = root.get("siblings");
        if (siblings == null || !siblings.isArray()) {
            throw new HubException(HubException.Kind.BAD_RESPONSE, "the hub's model info for " + repo + " lists no files (\"siblings\")");
        }
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode s : siblings) {
            String name = text(s, "rfilename");
            if (name == null) continue;
            JsonNode lfs = s.get("lfs");
            String lfsSha = lfs != null && lfs.isObject() ? text(lfs, "sha256") : null;
            Long size = s.hasNonNull("size") ? Long.valueOf(s.get("size").asLong())
                    : lfs != null && lfs.hasNonNull("size") ? Long.valueOf(lfs.get("size").asLong()) : null;
            files.add(new RepoFile(name, size, text(s, "blobId"), lfsSha));
        }
        JsonNode gated = root.get("gated");
        return new ModelInfo(Optional.ofNullable(text(root, "id")).orElse(repo.id()), sha,
                gated == null || gated.isNull() ? "false" : gated.asText(), List.copyOf(files));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
