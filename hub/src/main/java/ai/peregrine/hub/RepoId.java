package ai.peregrine.hub;

import java.util.regex.Pattern;

/**
 * A model repository on the hub and the revision wanted: {@code ORG/NAME[@REVISION]}, revision "main" when none
 * is given. Names follow the hub's rules (huggingface_hub's {@code validate_repo_id}): letters, digits, '-', '_'
 * and '.', at most 96 characters, no "--" or "..", not starting or ending with '-' or '.'.
 */
public record RepoId(String owner, String name, String revision) {
    public static final String DEFAULT_REVISION = "main";
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,94}[A-Za-z0-9]|[A-Za-z0-9]");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public RepoId {
        checkPart(owner, "owner", owner + "/" + name);
        checkPart(name, "name", owner + "/" + name);
        if (revision == null || revision.isBlank()) {
            throw new IllegalArgumentException("empty revision after '@' in " + owner + "/" + name + "@");
        }
        for (String segment : revision.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("bad revision '" + revision + "': a branch, tag or commit has no "
                        + "empty, '.' or '..' path segments");
            }
        }
    }

    /** Parses {@code ORG/NAME} or {@code ORG/NAME@REVISION}; the message names what is wrong. */
    public static RepoId parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty model id: expected ORG/NAME[@REVISION]");
        String s = text.strip();
        String revision = DEFAULT_REVISION;
        int at = s.indexOf('@');
        if (at >= 0) {
            revision = s.substring(at + 1);
            s = s.substring(0, at);
            if (revision.isEmpty()) throw new IllegalArgumentException("empty revision after '@' in '" + text + "'");
        }
        int slash = s.indexOf('/');
        if (slash < 0 || slash != s.lastIndexOf('/')) {
            throw new IllegalArgumentException("'" + text + "' is not a hub model id: expected ORG/NAME[@REVISION], "
                    + "e.g. tiiuae/falcon-7b-instruct or tiiuae/falcon-7b-instruct@main");
        }
        return new RepoId(s.substring(0, slash), s.substring(slash + 1), revision);
    }

    /**
     * Whether a --model value reads as a hub id rather than a file: ORG/NAME[@REV] with valid parts and no
     * file-like ending. The caller checks first that no such local path exists.
     */
    public static boolean looksLikeRepoId(String text) {
        if (text == null || text.startsWith("/") || text.startsWith(".") || text.startsWith("~")) return false;
        String base = text.contains("@") ? text.substring(0, text.indexOf('@')) : text;
        if (base.endsWith(".gguf") || base.endsWith(".safetensors") || base.endsWith(".json")) return false;
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean isCommitHash(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    /** {@code owner/name}, as the hub's URLs spell it. */
    public String id() {
        return owner + "/" + name;
    }

    /** The cache folder of this repository: {@code models--owner--name}. */
    public String cacheFolderName() {
        return "models--" + owner + "--" + name;
    }

    public RepoId atRevision(String rev) {
        return new RepoId(owner, name, rev);
    }

    @Override
    public String toString() {
        return revision.equals(DEFAULT_REVISION) ? id() : id() + "@" + revision;
    }

    private static void checkPart(String part, String what, String whole) {
        if (part == null || !PART.matcher(part).matches() || part.contains("--") || part.contains("..")) {
            throw new IllegalArgumentException("bad repository " + what + " '" + part + "' in '" + whole + "': use "
                    + "letters, digits, '-', '_' and '.' (at most 96, no '--' or '..', not starting or ending with '-' or '.')");
        }
    }
}
