package ai.peregrine.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopCriteriaTest {
    private final ToyTokenizer tokenizer = new ToyTokenizer();

    @Test
    void stopStringSplitOverTokensMatchesOnlyAtTheEnd() {
        StopCriteria stop = new StopCriteria(100, tokenizer, List.of("END"));
        assertThat(stop.onToken(4, "the E")).isNull();
        assertThat(stop.onToken(4, "N")).isNull();
        assertThat(stop.onToken(4, "D")).isEqualTo(FinishReason.STOP_SEQUENCE);
    }

    @Test
    void stopInsideATokenButNotAtTheEndDoesNotMatchAsInTgi() {
        StopCriteria stop = new StopCriteria(100, tokenizer, List.of("Pari"));
        assertThat(stop.onToken(4, "Paris")).isNull();
    }

    @Test
    void lengthWinsOverEosAndEosOverStop() {
        StopCriteria stop = new StopCriteria(2, tokenizer, List.of("</s>"));
        assertThat(stop.onToken(ToyTokenizer.EOS, "</s>")).isEqualTo(FinishReason.EOS_TOKEN);
        assertThat(stop.onToken(ToyTokenizer.EOS, "</s>")).isEqualTo(FinishReason.LENGTH);
    }
}
