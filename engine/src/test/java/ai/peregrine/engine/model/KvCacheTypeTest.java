package ai.peregrine.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KvCacheTypeTest {
    @Test
    void parsesTheUsualSpellingsAndNamesWhatIsNot() {
        assertThat(KvCacheType.parse("f16")).isEqualTo(KvCacheType.F16);
        assertThat(KvCacheType.parse(" FP16 ")).isEqualTo(KvCacheType.F16);
        assertThat(KvCacheType.parse("float32")).isEqualTo(KvCacheType.F32);
        assertThatThrownBy(() -> KvCacheType.parse("fp8_e4m3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KV cache type 'fp8_e4m3' is not supported (no fp8 on a CPU): use f16 or f32");
        assertThatThrownBy(() -> KvCacheType.parse("q8_0")).hasMessage("KV cache type 'q8_0' is not supported: use f16 or f32");
    }

    @Test
    void anF16CacheHalvesTheBytesPerPosition() {
        try (TransformerModel f32 = ModelLoader.loadDemo(1);
             TransformerModel f16 = ModelLoader.loadDemo(LoadOptions.threads(1).withKvCacheType(KvCacheType.F16))) {
            ModelConfig c = f32.config();
            assertThat(f32.kvBytesPerPosition()).isEqualTo(2L * c.layerCount() * c.kvDim() * 4);
            assertThat(f16.kvBytesPerPosition()).isEqualTo(2L * c.layerCount() * c.kvDim() * 2);
        }
    }
}
