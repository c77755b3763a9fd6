package ai.peregrine.engine.generate;

import static ai.peregrine.engine.generate.ToyTokenizer.BOS;
import static ai.peregrine.engine.generate.ToyTokenizer.EOS;
import static ai.peregrine.engine.generate.ToyTokenizer.VOCAB;
import static ai.peregrine.engine.generate.ToyTokenizer.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.peregrine.engine.sampling.LogitsMath;
import ai.peregrine.engine.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private final ToyTokenizer tokenizer = new ToyTokenizer();
    private final Generator generator = new Generator(tokenizer);

    /** A model whose greedy continuation of BOS (and of each listed token) is the next listed token, then EOS. */
    private static IntFunction<float[]> continuation(int... ids) {
        int[] successor = new int[VOCAB];
        java.util.Arrays.fill(successor, id('z'));
        int prev = BOS;
        for (int id : ids) {
            successor[prev] = id;
            prev = id;
        }
        successor[prev] = EOS;
        return ToySession.chain(VOCAB, successor);
    }

    private static int[] chars(String s) {
        return s.chars().map(c -> id((char) c)).toArray();
    }

    private static ToySession session(IntFunction<float[]> model) {
        return new ToySession(VOCAB, 64, model);
    }

    private static double logSoftmax(float[] row, int id) {
        return row[id] - LogitsMath.logSumExp(row, row.length);
    }

    @Test
    void greedyStopsAtEosWithEosTokenAndSkipsItInText() {
        IntFunction<float[]> model = continuation(chars("hi!"));
        GenerationResult r = generator.generate(session(model),
                GenerationRequest.tokens(BOS).maxNewTokens(10).details(true).build());

        assertThat(r.generatedText()).isEqualTo("hi!");
        assertThat(r.finishReason()).isEqualTo(FinishReason.EOS_TOKEN);
        assertThat(r.finishReason().wire()).isEqualTo("eos_token");
        assertThat(r.generatedTokens()).isEqualTo(4);
        assertThat(r.tokens()).extracting(TokenInfo::id).containsExactly(id('h'), id('i'), id('!'), EOS);
        TokenInfo eos = r.tokens().get(3);
        assertThat(eos.special()).isTrue();
        assertThat(eos.text()).isEqualTo("</s>");
        assertThat((double) r.tokens().get(1).logprob()).isCloseTo(logSoftmax(model.apply(id('h')), id('i')), within(1e-6));
        assertThat(r.seed()).isNull();
        assertThat(r.promptTokens()).isEqualTo(1);
    }

    @Test
    void lengthIsCheckedBeforeEos() {
        GenerationResult r = generator.generate(session(continuation(chars("hi"))),
                GenerationRequest.tokens(BOS).maxNewTokens(3).build());
        assertThat(r.tokens()).extracting(TokenInfo::id).last().isEqualTo(EOS);
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);

        GenerationResult shorter = generator.generate(session(continuation(chars("hello"))),
                GenerationRequest.tokens(BOS).maxNewTokens(2).build());
        assertThat(shorter.generatedText()).isEqualTo("he");
        assertThat(shorter.finishReason().wire()).isEqualTo("length");
    }

    @Test
    void stopSequenceAcrossTokensStaysInTheText() {
        GenerationResult r = generator.generate(session(continuation(chars("my cat"))),
                GenerationRequest.tokens(BOS).maxNewTokens(20).stop(List.of("xyz", "y c")).build());
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP_SEQUENCE);
        assertThat(r.generatedText()).isEqualTo("my c");
    }

    @Test
    void multiByteCharacterIsNeverSplitInDeltas() {
        IntFunction<float[]> model = continuation(id('o'), ToyTokenizer.E_ACUTE_HI, ToyTokenizer.E_ACUTE_LO, id('!'));
        List<String> deltas = new ArrayList<>();
        GenerationResult r = generator.generate(session(model), GenerationRequest.tokens(BOS).maxNewTokens(10).build(),
                (token, delta) -> deltas.add(delta), new Cancellation());
        assertThat(deltas).containsExactly("o", "", "é", "!", "");
        assertThat(r.generatedText()).isEqualTo("oé!");
    }

    @Test
    void decoderInputDetailsGivesLogSoftmaxOfPreviousPosition() {
        IntFunction<float[]> model = continuation(chars("ab"));
        int[] prompt = {BOS, id('q'), id('a'), id('b')};
        GenerationResult r = generator.generate(session(model),
                GenerationRequest.tokens(prompt).maxNewTokens(2).decoderInputDetails(true).build());

        assertThat(r.prefill()).extracting(TokenInfo::id).containsExactly(BOS, id('q'), id('a'), id('b'));
        assertThat(r.prefill().get(0).logprob()).isNaN();
        for (int i = 1; i < prompt.length; i++) {
            assertThat((double) r.prefill().get(i).logprob())
                    .isCloseTo(logSoftmax(model.apply(prompt[i - 1]), prompt[i]), within(1e-6));
        }
        assertThat(r.prefill().get(1).text()).isEqualTo("q");
        assertThat(r.prefill().get(0).special()).isTrue();
    }

    @Test
    void prefillDetailsSpanSeveralChunks() {
        int[] prompt = new int[70];
        for (int i = 0; i < prompt.length; i++) prompt[i] = id(ToyTokenizer.CHARS.charAt(i % 26));
        IntFunction<float[]> model = continuation(chars("x"));
        ToySession s = new ToySession(VOCAB, 128, model);
        GenerationResult r = generator.generate(s,
                GenerationRequest.tokens(prompt).maxNewTokens(1).decoderInputDetails(true).build());
        for (int i : new int[] {1, 31, 32, 33, 64, 69}) {
            assertThat((double) r.prefill().get(i).logprob())
                    .isCloseTo(logSoftmax(model.apply(prompt[i - 1]), prompt[i]), within(1e-6));
        }
    }

    @Test
    void cancellationStopsBetweenTokens() {
        ToySession s = session(continuation(chars("abcdefghij")));
        Cancellation cancel = new Cancellation();
        List<TokenInfo> seen = new ArrayList<>();
        assertThatThrownBy(() -> generator.generate(s, GenerationRequest.tokens(BOS).maxNewTokens(30).build(),
                (token, delta) -> {
                    seen.add(token);
                    if (seen.size() == 2) cancel.cancel();
                }, cancel)).isInstanceOf(CancellationException.class);
        assertThat(seen).hasSize(2);
        assertThat(s.forwardedTokens).isEqualTo(2); // prompt + the first generated token only
    }

    @Test
    void contextLimitIsAClearError() {
        ToySession s = new ToySession(VOCAB, 8, continuation(chars("a")));
        assertThatThrownBy(() -> generator.generate(s, GenerationRequest.text("abc").maxNewTokens(5).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("`inputs` tokens + `max_new_tokens` must be <= 8. Given: 4 `inputs` tokens and 5 `max_new_tokens`");
    }

    @Test
    void truncateKeepsTheLastPromptTokensAndFullTextPrependsThePrompt() {
        ToySession s = session(continuation(chars("xy")));
        GenerationResult r = generator.generate(s, GenerationRequest.text("hello")
                .truncate(2).maxNewTokens(1).decoderInputDetails(true).returnFullText(true).build());
        assertThat(r.promptTokens()).isEqualTo(2);
        assertThat(r.prefill()).extracting(TokenInfo::text).containsExactly("l", "o");
        assertThat(r.generatedText()).isEqualTo("hello" + "z");
    }

    @Test
    void seededSamplingIsReproducibleAndReportsItsSeed() {
        SamplingParams p = new SamplingParams(1.5f, 0, 1f, 1f, 1f, 0f, true, 77L, false);
        GenerationRequest req = GenerationRequest.tokens(BOS).sampling(p).maxNewTokens(15).build();
        GenerationResult a = generator.generate(session(continuation(chars("abc"))), req);
        GenerationResult b = generator.generate(session(continuation(chars("abc"))), req);
        assertThat(a.tokens()).extracting(TokenInfo::id).isEqualTo(b.tokens().stream().map(TokenInfo::id).toList());
        assertThat(a.seed()).isEqualTo(77L);

        GenerationResult drawn = generator.generate(session(continuation(chars("abc"))),
                GenerationRequest.tokens(BOS).sampling(p.withSeed(null)).maxNewTokens(3).build());
        assertThat(drawn.seed()).isNotNull();
    }

    @Test
    void topNTokensListsTheMostLikelyAlternatives() {
        GenerationResult r = generator.generate(session(continuation(chars("ab"))),
                GenerationRequest.tokens(BOS).maxNewTokens(2).topNTokens(3).build());
        for (TokenInfo t : r.tokens()) {
            assertThat(t.topTokens()).hasSize(3);
            assertThat(t.topTokens().get(0).id()).isEqualTo(t.id());
            assertThat(t.topTokens().get(0).logprob()).isEqualTo(t.logprob());
            assertThat(t.topTokens().get(1).logprob()).isLessThanOrEqualTo(t.topTokens().get(0).logprob());
        }
        assertThat(r.topTokens()).hasSize(2);
    }

    @Test
    void perStepSequenceCanBeDrivenWithoutAGenerator() {
        IntFunction<float[]> model = continuation(chars("ok"));
        GenerationSequence seq = new GenerationSequence(tokenizer,
                GenerationRequest.tokens(BOS).maxNewTokens(5).build(), new int[] {BOS}, VOCAB);
        int last = BOS;
        while (!seq.isFinished()) last = seq.step(model.apply(last)).token().id();
        assertThat(seq.generatedText()).isEqualTo("ok");
        assertThat(seq.finishReason()).isEqualTo(FinishReason.EOS_TOKEN);
        assertThatThrownBy(() -> seq.step(model.apply(EOS))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void timingsAndValidation() {
        GenerationResult r = generator.generate(session(continuation(chars("ab"))),
                GenerationRequest.tokens(BOS).maxNewTokens(5).build());
        assertThat(r.timings().prefillSeconds()).isPositive();
        assertThat(r.timings().timePerToken()).isPositive();
        assertThatThrownBy(() -> generator.generate(session(continuation()), GenerationRequest.text("").build()))
                .hasMessage("`inputs` cannot be empty");
        assertThatThrownBy(() -> generator.generate(session(continuation()),
                GenerationRequest.tokens(BOS).maxNewTokens(0).build()))
                .hasMessage("`max_new_tokens` must be strictly positive");
    }
}
