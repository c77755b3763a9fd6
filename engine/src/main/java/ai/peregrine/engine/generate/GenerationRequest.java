package ai.peregrine.engine.generate;

import ai.peregrine.engine.sampling.SamplingParams;
import java.util.List;

/**
 * One generation request in TGI's terms. Exactly one of {@code prompt} (text, tokenized with special tokens added
 * and parsed) or {@code promptTokens} is set. {@code truncate} keeps the last N prompt tokens (0 = no truncation).
 */
public record GenerationRequest(
        String prompt,
        int[] promptTokens,
        SamplingParams sampling,
        int maxNewTokens,
        List<String> stop,
        boolean details,
        boolean decoderInputDetails,
        int topNTokens,
        boolean returnFullText,
        int truncate) {

    public GenerationRequest {
        if ((prompt == null) == (promptTokens == null)) {
            throw new IllegalArgumentException("exactly one of prompt text or prompt tokens must be given");
        }
        promptTokens = promptTokens == null ? null : promptTokens.clone();
        sampling = sampling == null ? SamplingParams.GREEDY : sampling;
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (topNTokens < 0) throw new IllegalArgumentException("top_n_tokens must be >= 0");
        if (truncate < 0) throw new IllegalArgumentException("truncate must be >= 0");
    }

    public static Builder text(String prompt) {
        return new Builder(prompt, null);
    }

    public static Builder tokens(int... ids) {
        return new Builder(null, ids);
    }

    public static final class Builder {
        private final String prompt;
        private final int[] tokens;
        private SamplingParams sampling = SamplingParams.GREEDY;
        private int maxNewTokens = 20;
        private List<String> stop = List.of();
        private boolean details;
        private boolean decoderInputDetails;
        private int topNTokens;
        private boolean returnFullText;
        private int truncate;

        private Builder(String prompt, int[] tokens) {
            this.prompt = prompt;
            this.tokens = tokens;
        }

        public Builder sampling(SamplingParams v) { sampling = v; return this; }
        public Builder maxNewTokens(int v) { maxNewTokens = v; return this; }
        public Builder stop(List<String> v) { stop = v; return this; }
        public Builder details(boolean v) { details = v; return this; }
        public Builder decoderInputDetails(boolean v) { decoderInputDetails = v; return this; }
        public Builder topNTokens(int v) { topNTokens = v; return this; }
        public Builder returnFullText(boolean v) { returnFullText = v; return this; }
        public Builder truncate(int v) { truncate = v; return this; }

        public GenerationRequest build() {
            return new GenerationRequest(prompt, tokens, sampling, maxNewTokens, stop, details, decoderInputDetails,
                    topNTokens, returnFullText, truncate);
        }
    }
}
