package ai.peregrine.engine.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.peregrine.engine.model.Architecture;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class HfConfigTest {
    private static HfConfig parse(String json) throws Exception {
        return HfConfig.parse(new HfConfig.Fields("config.json", new ObjectMapper().readTree(json.replace('\'', '"'))));
    }

    private static void rejected(String json, String expected) {
        var e = assertThrows(CheckpointFormatException.class, () -> parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** tiiuae/falcon-7b's config.json in both spellings (the hub's current one and the original RW one). */
    @Test
    void falcon7bInBothSpellings() throws Exception {
        HfConfig current = parse("{'alibi':false,'architectures':['FalconForCausalLM'],'bias':false,'hidden_size':4544,"
                + "'layer_norm_epsilon':1e-05,'model_type':'falcon','multi_query':true,'new_decoder_architecture':false,"
                + "'num_attention_heads':71,'num_hidden_layers':32,'parallel_attn':true,'torch_dtype':'bfloat16','vocab_size':65024}");
        HfConfig original = parse("{'alibi':false,'architectures':['RWForCausalLM'],'bias':false,'hidden_size':4544,"
                + "'layer_norm_epsilon':1e-05,'model_type':'RefinedWebModel','multi_query':true,'n_head':71,'n_layer':32,"
                + "'parallel_attn':true,'torch_dtype':'bfloat16','vocab_size':65024}");
        for (HfConfig c : new HfConfig[] {current, original}) {
            assertEquals(Architecture.FALCON, c.architecture());
            assertEquals(4544, c.embeddingLength());
            assertEquals(32, c.layerCount());
            assertEquals(71, c.headCount());
            assertEquals(1, c.headCountKv());
            assertEquals(64, c.headDim());
            assertEquals(4 * 4544, c.feedForwardLength());
            assertEquals(2048, c.contextLength());
            assertFalse(c.parallelNorms());
            assertTrue(c.tiedEmbeddings());
        }
    }

    @Test
    void falcon40bInBothSpellings() throws Exception {
        HfConfig current = parse("{'architectures':['FalconForCausalLM'],'model_type':'falcon','hidden_size':8192,'num_attention_heads':128,"
                + "'num_kv_heads':8,'num_hidden_layers':60,'new_decoder_architecture':true,'parallel_attn':true,'bias':false,'alibi':false,"
                + "'vocab_size':65024}");
        HfConfig original = parse("{'architectures':['RWForCausalLM'],'model_type':'RefinedWeb','hidden_size':8192,'n_head':128,"
                + "'n_head_kv':8,'n_layer':60,'parallel_attn':true,'bias':false,'alibi':false,'vocab_size':65024}");
        for (HfConfig c : new HfConfig[] {current, original}) {
            assertEquals(8, c.headCountKv());
            assertEquals(64, c.headDim());
            assertTrue(c.parallelNorms(), "ln_attn + ln_mlp");
        }
        // Falcon2-11B: new decoder architecture with a single LayerNorm
        HfConfig falcon2 = parse("{'architectures':['FalconForCausalLM'],'hidden_size':4096,'num_attention_heads':32,'num_kv_heads':8,"
                + "'num_hidden_layers':60,'new_decoder_architecture':true,'num_ln_in_parallel_attn':1,'rope_theta':500042.0,"
                + "'max_position_embeddings':8192,'vocab_size':65024}");
        assertFalse(falcon2.parallelNorms());
        assertEquals(8, falcon2.headCountKv());
        assertEquals(500042f, falcon2.ropeTheta());
        assertEquals(8192, falcon2.contextLength());
    }

    @Test
    void unsupportedFalconVariantsAreRejectedByName() {
        String base = "'architectures':['FalconForCausalLM'],'hidden_size':64,'num_attention_heads':4,'num_hidden_layers':2,'vocab_size':100";
        rejected("{" + base + ",'alibi':true}", "ALiBi position biases (alibi: true, the Falcon-RW models) are not supported");
        rejected("{" + base + ",'bias':true}", "linear-layer biases (bias: true) are not supported");
        rejected("{" + base + ",'parallel_attn':false}", "parallel_attn: false (attention, then the MLP on its output) is not supported");
        rejected("{" + base + ",'rope_scaling':{'type':'linear','factor':2.0}}", "rope_scaling is not supported");
        rejected("{" + base + ",'apply_residual_connection_post_layernorm':true}", "apply_residual_connection_post_layernorm");
        rejected("{" + base + ",'new_decoder_architecture':true}", "config.json has no num_kv_heads or n_head_kv");
        rejected("{" + base + ",'num_hidden_layers':'two'}", "config.json: num_hidden_layers is \"two\", not an integer");
    }

    @Test
    void llamaAndMistral() throws Exception {
        HfConfig llama = parse("{'architectures':['LlamaForCausalLM'],'hidden_size':2048,'intermediate_size':5632,'num_attention_heads':32,"
                + "'num_key_value_heads':4,'num_hidden_layers':22,'rms_norm_eps':1e-05,'rope_theta':10000.0,'rope_scaling':null,"
                + "'max_position_embeddings':2048,'tie_word_embeddings':false,'vocab_size':32000,'hidden_act':'silu'}");
        assertEquals(Architecture.LLAMA, llama.architecture());
        assertEquals(4, llama.headCountKv());
        assertEquals(64, llama.headDim());
        assertEquals(1e-5f, llama.normEps());
        assertFalse(llama.tiedEmbeddings());
        HfConfig mistral = parse("{'architectures':['MistralForCausalLM'],'hidden_size':4096,'intermediate_size':14336,'num_attention_heads':32,"
                + "'num_key_value_heads':8,'num_hidden_layers':32,'max_position_embeddings':32768,'sliding_window':4096,'vocab_size':32000}");
        assertEquals(4096, mistral.contextLength(), "context stays within the sliding window");
        assertEquals(1e-6f, mistral.normEps());
        HfConfig headDim = parse("{'architectures':['MistralForCausalLM'],'hidden_size':5120,'head_dim':128,'intermediate_size':14336,"
                + "'num_attention_heads':32,'num_key_value_heads':8,'num_hidden_layers':40,'vocab_size':131072}");
        assertEquals(128, headDim.headDim());
    }

    @Test
    void unsupportedArchitecturesAndLlamaVariantsAreRejectedByName() {
        rejected("{'architectures':['Qwen2ForCausalLM'],'hidden_size':64}",
                "Qwen2ForCausalLM is not supported yet: its attention has q/k/v biases");
        rejected("{'architectures':['GPT2LMHeadModel']}", "architecture GPT2LMHeadModel is not supported (supported: FalconForCausalLM, RWForCausalLM, LlamaForCausalLM, MistralForCausalLM)");
        rejected("{'hidden_size':64}", "names no architectures and no model_type");
        String base = "'architectures':['LlamaForCausalLM'],'hidden_size':64,'intermediate_size':128,'num_attention_heads':4,'num_hidden_layers':2,'vocab_size':100";
        rejected("{" + base + ",'rope_scaling':{'rope_type':'llama3','factor':8.0}}", "rope_scaling (Llama-3.1 style or linear/dynamic scaling) is not supported");
        rejected("{" + base + ",'attention_bias':true}", "attention biases (attention_bias: true) are not supported");
        rejected("{" + base + ",'hidden_act':'gelu'}", "hidden_act gelu is not supported");
        rejected("{" + base + ",'num_key_value_heads':3}", "4 attention heads do not split into 3 key/value heads");
    }
}
