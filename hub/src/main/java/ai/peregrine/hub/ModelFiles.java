package ai.peregrine.hub;

import ai.peregrine.hub.HubException.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which files of a repository Peregrine's loader reads: config.json, the tokenizer and generation files that
 * exist, and the safetensors weights — {@code model.safetensors}, else {@code model.safetensors.index.json} and
 * the shards its {@code weight_map} names (the order transformers looks for them in). Nothing else is fetched.
 */
public final class ModelFiles {
    public static final String CONFIG = "config.json";
    public static final String SINGLE_WEIGHTS = "model.safetensors";
    public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
    public static final List<String> OPTIONAL = List.of("generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFiles() {}

    /** The files to fetch before the shards are known: config, optional files present, and the weights or their index. */
    public static List<String> initial(ModelInfo info, RepoId repo) {
        if (!info.has(CONFIG)) {
            throw new HubException(Kind.NO_SAFETENSORS, repo + " has no config.json, so it is not a transformers model "
                    + "checkpoint Peregrine can load" + listing(info));
        }
        List<String> files = new ArrayList<>();
        files.add(CONFIG);
        for (String f : OPTIONAL) if (info.has(f)) files.add(f);
        if (info.has(SINGLE_WEIGHTS)) files.add(SINGLE_WEIGHTS);
        else if (info.has(WEIGHTS_INDEX)) files.add(WEIGHTS_INDEX);
        else throw noSafetensors(info, repo);
        return files;
    }

    /** Whether the weights come as shards listed in the index (which must be fetched and read first). */
    public static boolean sharded(List<String> initial) {
        return initial.contains(WEIGHTS_INDEX);
    }

    /** The distinct shard files an index's {@code weight_map} names, checked against the repository's files. */
    public static List<String> shards(Path indexFile, ModelInfo info, RepoId repo) {
        List<String> shards = shardNames(indexFile, repo);
        for (String s : shards) {
            if (!info.has(s)) {
                throw new HubException(Kind.BAD_RESPONSE, repo + ": " + WEIGHTS_INDEX + " names shard '" + s
                        + "', which the repository does not have");
            }
        }
        return shards;
    }

    /** The distinct shard files an index's {@code weight_map} names, sorted. */
    public static List<String> shardNames(Path indexFile, RepoId repo) {
        JsonNode root;
        try {
            root = JSON.readTree(indexFile.toFile());
        } catch (IOException e) {
            throw new HubException(Kind.BAD_RESPONSE, repo + ": " + WEIGHTS_INDEX + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new HubException(Kind.BAD_RESPONSE, repo + ": " + WEIGHTS_INDEX + " has no \"weight_map\" of tensor → shard file");
        }
        TreeSet<String> shards = new TreeSet<>();
        map.properties().forEach(e -> shards.add(e.getValue().asText()));
        return List.copyOf(shards);
    }

    private static HubException noSafetensors(ModelInfo info, RepoId repo) {
        List<String> gguf = info.files().stream().map(ModelInfo.RepoFile::name).filter(n -> n.endsWith(".gguf")).toList();
        String hint = gguf.isEmpty() ? "" : "; it has GGUF files (" + String.join(", ", gguf.subList(0, Math.min(3, gguf.size())))
                + (gguf.size() > 3 ? ", ..." : "") + "): download one and pass --model FILE.gguf";
        return new HubException(Kind.NO_SAFETENSORS, repo + " has no safetensors weights (neither " + SINGLE_WEIGHTS
                + " nor " + WEIGHTS_INDEX + "); Peregrine loads safetensors checkpoints or GGUF files" + hint + listing(info));
    }

    private static String listing(ModelInfo info) {
        List<String> names = info.files().stream().map(ModelInfo.RepoFile::name).filter(n -> !n.startsWith(".")).toList();
        if (names.isEmpty()) return "";
        return " (files: " + String.join(", ", names.subList(0, Math.min(8, names.size()))) + (names.size() > 8 ? ", ..." : "") + ")";
    }
}
