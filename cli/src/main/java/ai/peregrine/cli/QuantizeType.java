package ai.peregrine.cli;

import ai.peregrine.engine.convert.TargetType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --quantize q8_0|q4_0}. */
final class QuantizeType implements ITypeConverter<TargetType> {
    @Override
    public TargetType convert(String value) {
        for (TargetType t : TargetType.values()) {
            if (t.quantized() && t.label().equalsIgnoreCase(value)) return t;
        }
        throw new TypeConversionException("'" + value + "' is not q8_0 or q4_0");
    }
}
