package ai.peregrine.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.synthetic.DemoModel;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    @TempDir
    Path dir;

    @Test
    void everyMetadataValueTypeRoundTrips() throws Exception {
        GgufWriter w = new GgufWriter()
                .put("u8", new GgufValue(GgufValueType.UINT8, 250))
                .put("i8", new GgufValue(GgufValueType.INT8, -5))
                .put("u16", new GgufValue(GgufValueType.UINT16, 65000))
                .put("i16", new GgufValue(GgufValueType.INT16, -30000))
                .put("u32", GgufValue.u32(4_000_000_000L))
                .put("i32", GgufValue.i32(-7))
                .put("f32", GgufValue.f32(1.5f))
                .put("bool", GgufValue.bool(true))
                .put("str", GgufValue.string("héllo 🙂"))
                .put("u64", new GgufValue(GgufValueType.UINT64, 1L << 40))
                .put("i64", new GgufValue(GgufValueType.INT64, -(1L << 40)))
                .put("f64", new GgufValue(GgufValueType.FLOAT64, 2.25))
                .put("strs", GgufValue.strings(new String[] {"a", "", "ü"}))
                .put("ints", GgufValue.i32s(new int[] {1, -2, 3}))
                .put("floats", GgufValue.f32s(new float[] {0.5f, -1f}))
                .put("nested", new GgufValue(GgufValueType.ARRAY, new GgufValue.GgufArray(GgufValueType.ARRAY,
                        new GgufValue.GgufArray[] {new GgufValue.GgufArray(GgufValueType.INT32, new int[] {9})})))
                .addTensor("t", GgmlType.F32, new long[] {3}, floatBytes(1f, 2f, 3f));
        Path p = dir.resolve("all.gguf");
        w.write(p);
        try (GgufFile f = GgufFile.open(p)) {
            GgufMetadata md = f.metadata();
            assertThat(f.version()).isEqualTo(3);
            assertThat(md.getInt("u8")).isEqualTo(250);
            assertThat(md.getInt("i8")).isEqualTo(-5);
            assertThat(md.getInt("u16")).isEqualTo(65000);
            assertThat(md.getInt("i16")).isEqualTo(-30000);
            assertThat(md.getLong("u32")).isEqualTo(4_000_000_000L);
            assertThat(md.getInt("i32")).isEqualTo(-7);
            assertThat(md.getFloat("f32")).isEqualTo(1.5f);
            assertThat(md.getBool("bool", false)).isTrue();
            assertThat(md.getString("str")).isEqualTo("héllo 🙂");
            assertThat(md.getLong("u64")).isEqualTo(1L << 40);
            assertThat(md.getLong("i64")).isEqualTo(-(1L << 40));
            assertThat(md.getFloat("f64")).isEqualTo(2.25f);
            assertThat(md.getStrings("strs")).containsExactly("a", "", "ü");
            assertThat(md.getInts("ints")).containsExactly(1, -2, 3);
            assertThat(md.getFloats("floats")).containsExactly(0.5f, -1f);
            GgufValue.GgufArray nested = (GgufValue.GgufArray) md.get("nested").orElseThrow().value();
            assertThat(((GgufValue.GgufArray[]) nested.values())[0].values()).isEqualTo(new int[] {9});
            GgufTensorInfo t = f.tensor("t");
            assertThat(f.dataOffset() % 32).isZero();
            assertThat(f.tensorData(t).getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2)).isEqualTo(3f);
            assertThatThrownBy(() -> md.getString("i32")).hasMessageContaining("'i32' is not a string");
            assertThatThrownBy(() -> md.getInt("missing")).hasMessageContaining("'missing' is missing");
        }
    }

    @Test
    void version2FilesAreRead() throws Exception {
        byte[] bytes = new GgufWriter().put("general.architecture", GgufValue.string("llama")).toBytes();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2);
        Path p = Files.write(dir.resolve("v2.gguf"), bytes);
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.version()).isEqualTo(2);
            assertThat(f.metadata().getString("general.architecture")).isEqualTo("llama");
        }
    }

    @Test
    void badInputIsAnErrorThatNamesTheProblem() throws Exception {
        Path text = Files.writeString(dir.resolve("text.gguf"), "not a model at all");
        assertThatThrownBy(() -> GgufFile.open(text)).isInstanceOf(GgufFormatException.class).hasMessageContaining("is not a GGUF file");

        byte[] demo = DemoModel.gguf();
        Path truncated = Files.write(dir.resolve("truncated.gguf"), Arrays.copyOf(demo, demo.length / 2));
        assertThatThrownBy(() -> GgufFile.open(truncated)).isInstanceOf(GgufFormatException.class).hasMessageContaining("truncated");

        byte[] v1 = Arrays.copyOf(demo, demo.length);
        ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1);
        Path old = Files.write(dir.resolve("v1.gguf"), v1);
        assertThatThrownBy(() -> GgufFile.open(old)).hasMessageContaining("GGUF version 1 is not supported");
    }

    @Test
    void unsupportedArchitectureAndTensorTypeAreNamed() throws Exception {
        Path gpt = dir.resolve("gpt.gguf");
        new GgufWriter().put("general.architecture", GgufValue.string("mamba")).write(gpt);
        assertThatThrownBy(() -> ModelLoader.load(gpt, 1)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("architecture 'mamba' is not supported");

        Path kquant = dir.resolve("q3k.gguf");
        new GgufWriter().addTensor("w", GgmlType.Q3_K, new long[] {256, 1}, new byte[GgmlType.Q3_K.blockBytes]).write(kquant);
        try (GgufFile f = GgufFile.open(kquant)) {
            assertThatThrownBy(() -> ai.peregrine.engine.tensor.WeightMatrices.of(f, "w"))
                    .isInstanceOf(GgufFormatException.class).hasMessageContaining("type Q3_K")
                    .hasMessageContaining("supported: F32, F16, BF16, Q8_0, Q4_0, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K");
        }
    }

    private static byte[] floatBytes(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }
}
