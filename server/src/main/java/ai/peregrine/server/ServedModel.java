package ai.peregrine.server;

import ai.peregrine.engine.model.TransformerModel;
import java.util.Optional;

/** The loaded model with what the routes report about it: its id, weight type and chat template. */
public record ServedModel(TransformerModel model, String modelId, String dtype, Optional<String> chatTemplate) {

    public static ServedModel of(TransformerModel model, String modelId) {
        var file = model.file();
        String dtype = file.hasTensor("blk.0.ffn_down.weight")
                ? file.tensor("blk.0.ffn_down.weight").type().toString()
                : file.tensor("token_embd.weight").type().toString();
        Optional<String> template = file.metadata().string("tokenizer.chat_template").filter(t -> !t.isBlank());
        return new ServedModel(model, modelId, dtype, template);
    }
}
