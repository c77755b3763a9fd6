package ai.peregrine.cli;

import ai.peregrine.engine.convert.TargetType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --quantize TYPE}: one of the quantized {@link TargetType}s (q8_0, q4_0, the K-quants and their mixes). */
final class QuantizeType implements ITypeConverter<TargetType> {
    @Override
    public TargetType convert(String value) {
        for (TargetType t : TargetType.values()) {
            if (t.quantized() && t.label().equalsIgnoreCase(value)) return t;
        }
        throw new TypeConversionException("'" + value + "' is not a quantized type (" + labels() + ")");
    }

    static String labels() {
        return java.util.Arrays.stream(TargetType.values()).filter(TargetType::quantized).map(TargetType::label)
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
