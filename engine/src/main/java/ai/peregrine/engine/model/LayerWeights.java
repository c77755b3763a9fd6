package ai.peregrine.engine.model;

import ai.peregrine.engine.tensor.WeightMatrix;

/**
 * One transformer block's weights. Matrices stay in the mapped file; norm vectors (a few KB) are
 * read into arrays. Unused fields are null: llama has wq/wk/wv and a gated MLP, falcon a fused wqkv.
 *
 * @param attnNorm    llama: RMSNorm before attention; falcon: the LayerNorm feeding the MLP (and attention, unless attnNorm2)
 * @param attnNorm2   Falcon-40B: the LayerNorm feeding attention
 * @param ffnNorm     llama: RMSNorm before the MLP
 */
public record LayerWeights(
        float[] attnNorm, float[] attnNormBias,
        float[] attnNorm2, float[] attnNorm2Bias,
        float[] ffnNorm,
        WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wqkv,
        WeightMatrix wo,
        WeightMatrix ffnGate, WeightMatrix ffnUp, WeightMatrix ffnDown) {}
