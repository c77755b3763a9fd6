package ai.peregrine.engine.tokenizer;

import java.util.HashMap;
import java.util.Map;

/** Token strings, types, scores and the special ids of a GGUF vocabulary. */
record Vocabulary(String[] tokens, int[] types, float[] scores, Map<String, Integer> ids,
                  int bos, int eos, int unk, int pad, int eot, int eom, java.util.BitSet endOfGeneration,
                  boolean addBos, boolean addEos) {

    static Map<String, Integer> index(String[] tokens) {
        Map<String, Integer> ids = HashMap.newHashMap(tokens.length);
        // the first occurrence wins, as in llama.cpp's token_to_id
        for (int i = tokens.length - 1; i >= 0; i--) ids.put(tokens[i], i);
        return ids;
    }

    int size() {
        return tokens.length;
    }

    int type(int id) {
        return types == null ? TokenType.NORMAL : types[id];
    }

    /** -1 when absent. */
    int id(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    boolean isControlLike(int id) {
        int t = type(id);
        return t == TokenType.CONTROL || t == TokenType.UNKNOWN;
    }
}
