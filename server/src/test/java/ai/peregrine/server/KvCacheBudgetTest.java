package ai.peregrine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.engine.model.KvCacheType;
import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.engine.model.ModelConfig;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import org.junit.jupiter.api.Test;

/** A KV cache budget larger than the heap is refused at start with the sizes and what to change, before any allocation. */
class KvCacheBudgetTest {
    @Test
    void theBudgetIsSlotsTimesPositionsTimesTheBytesPerPosition() {
        try (TransformerModel model = ModelLoader.loadDemo(1)) {
            ModelConfig c = model.config();
            assertThat(model.kvBytesPerPosition()).isEqualTo(2L * c.layerCount() * c.kvDim() * 4);
            long need = model.kvBytesPerPosition() * 8 * 1000;
            assertThatCode(() -> KvCacheBudget.check(model, 8, 1000, need)).doesNotThrowAnyException();
            assertThatThrownBy(() -> KvCacheBudget.check(model, 8, 1000, need - 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("MAX_BATCH_SIZE=8 sequences of MAX_TOTAL_TOKENS=1000 positions needs " + KvCacheBudget.bytes(need))
                    .hasMessageContaining("(" + KvCacheBudget.bytes(model.kvBytesPerPosition()) + " per position, f32)")
                    .hasMessageContaining("lower MAX_BATCH_SIZE or MAX_TOTAL_TOKENS, store it in halves (KV_CACHE_DTYPE=f16)");
        }
    }

    @Test
    void anF16CacheNeedsHalfAndSaysSo() {
        try (TransformerModel f16 = ModelLoader.loadDemo(LoadOptions.threads(1).withKvCacheType(KvCacheType.F16))) {
            long need = f16.kvBytesPerPosition() * 8 * 1000;
            assertThat(need).isEqualTo(f16.config().kvBytesPerPosition(KvCacheType.F32) * 8 * 1000 / 2);
            assertThatCode(() -> KvCacheBudget.check(f16, 8, 1000, need)).doesNotThrowAnyException();
            assertThatThrownBy(() -> KvCacheBudget.check(f16, 8, 1000, need - 1))
                    .hasMessageContaining("per position, f16), but the JVM heap has")
                    .hasMessageNotContaining("KV_CACHE_DTYPE");
        }
    }

    @Test
    void aServerWhoseCachesCannotFitTheHeapDoesNotStart() {
        try (TransformerModel model = ModelLoader.loadDemo(1)) {
            int context = model.config().contextLength();
            long perSlot = model.kvBytesPerPosition() * context;
            int slots = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / perSlot + 1);
            assertThatThrownBy(() -> new TestServer(o -> o.withMaxBatchSize(slots).withMaxConcurrentRequests(slots)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("MAX_BATCH_SIZE=" + slots)
                    .hasMessageContaining("the JVM heap has");
        }
        try (TestServer ok = new TestServer(o -> o)) {
            assertThat(ok.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertThat(KvCacheBudget.bytes(512)).isEqualTo("512 B");
        assertThat(KvCacheBudget.bytes(90_112)).isEqualTo("88.0 KiB");
        assertThat(KvCacheBudget.bytes(32L << 30)).isEqualTo("32.0 GiB");
    }
}
