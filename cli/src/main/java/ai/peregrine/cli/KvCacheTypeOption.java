package ai.peregrine.cli;

import ai.peregrine.engine.model.KvCacheType;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --kv-cache-type f16|f32}; without the flag, TGI's {@code KV_CACHE_DTYPE} environment variable (the SageMaker
 * image passes its settings that way), else f32.
 */
final class KvCacheTypeOption implements ITypeConverter<KvCacheType> {
    static final String ENV = "KV_CACHE_DTYPE";
    static final String DESCRIPTION = "KV cache storage: f32 (default, exact) or f16 (half the memory, llama.cpp's default;"
            + " log-probabilities move by ~1e-3). Default: $KV_CACHE_DTYPE, else f32.";

    @Override
    public KvCacheType convert(String value) {
        try {
            return KvCacheType.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static KvCacheType resolve(KvCacheType flag, Map<String, String> env) {
        if (flag != null) return flag;
        String value = env.get(ENV);
        if (value == null || value.isBlank()) return KvCacheType.F32;
        try {
            return KvCacheType.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + ": " + e.getMessage());
        }
    }
}
