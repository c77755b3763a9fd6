#!/usr/bin/env node
// reference.mjs - llama.cpp's view of a GGUF model, for Peregrine's golden reference files.
//
// Usage: node reference.mjs --model M.gguf --prompt TEXT [--top 8] [--n 16] [--kv f16|f32] [--threads 2] [--ctx 512]
//
// Prints one JSON object:
//   prompt_tokens   llama.cpp's tokenization of the prompt (special text parsed, no BOS added)
//   positions[j]    teacher-forced top-K [id, logprob] after prompt_tokens[0..j]
//   generated       greedy continuation (temperature 0; end-of-generation tokens do not stop it)
//   steps[i]        top-K [id, logprob] of the distribution that chose generated[i]
// logprob = log of llama.cpp's softmax over the full vocabulary of the raw logits.
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { openLlama } from "./llama.mjs";

const opt = { top: 8, n: 16, kv: "f16", threads: 2, ctx: 512 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
    const a = args[i], next = () => args[++i];
    if (a === "--model") opt.model = next();
    else if (a === "--prompt") opt.prompt = next();
    else if (a === "--top") opt.top = Number(next());
    else if (a === "--n") opt.n = Number(next());
    else if (a === "--kv") opt.kv = next();
    else if (a === "--threads") opt.threads = Number(next());
    else if (a === "--ctx") opt.ctx = Number(next());
    else { console.error("unknown argument " + a); process.exit(2); }
}
if (!opt.model || opt.prompt === undefined) {
    console.error("usage: node reference.mjs --model M.gguf --prompt TEXT [--top 8] [--n 16] [--kv f16|f32]");
    process.exit(2);
}

const llama = await openLlama(opt.threads);
const model = await llama.loadModel({ modelPath: path.resolve(opt.model), gpuLayers: 0 });
const kvType = opt.kv.toUpperCase();
const context = await model.createContext({
    contextSize: opt.ctx, batchSize: Math.min(opt.ctx, 512), threads: opt.threads, sequences: 1,
    flashAttention: false, experimentalKvCacheKeyType: kvType, experimentalKvCacheValueType: kvType,
});
const seq = context.getSequence();

// node-llama-cpp's probability maps are sorted by probability, descending
const topK = (probabilities) => {
    const out = [];
    for (const [id, p] of probabilities) {
        out.push([id, p > 0 ? Math.log(p) : -Infinity]);
        if (out.length >= opt.top) break;
    }
    return out;
};

const promptTokens = [...model.tokenize(opt.prompt, true)];
const forced = await seq.controlledEvaluate(promptTokens.map(t => [t, { generateNext: { probabilities: true } }]));
const positions = forced.map(r => topK(r.next.probabilities));
await seq.clearHistory();

const generated = [], steps = [];
if (opt.n > 0) {
    for await (const out of seq.evaluateWithMetadata(promptTokens, { probabilities: true }, { temperature: 0, yieldEogToken: true })) {
        generated.push(out.token);
        steps.push(topK(out.probabilities));
        if (generated.length >= opt.n) break;
    }
}

const nodeDir = process.env.ORACLE_NODE_DIR ?? path.dirname(fileURLToPath(import.meta.url));
const nlcVersion = JSON.parse(fs.readFileSync(path.join(nodeDir, "node_modules/node-llama-cpp/package.json"), "utf8")).version;
console.log(JSON.stringify({
    llama_cpp: `${llama.llamaCppRelease.repo} ${llama.llamaCppRelease.release} (node-llama-cpp ${nlcVersion}, prebuilt CPU)`,
    kv: opt.kv,
    top: opt.top,
    prompt: opt.prompt,
    prompt_tokens: promptTokens,
    positions,
    generated,
    steps,
}));
await context.dispose();
await model.dispose();
await llama.dispose();
