#!/usr/bin/env node
// bench.mjs - llama.cpp prefill and decode speed on one GGUF, the anchor for Peregrine's benchmarks.
//
// Usage: node bench.mjs --model M.gguf [--prompt-tokens 128] [--new-tokens 64] [--threads 2] [--reps 3]
//
// prefill: one prompt of --prompt-tokens ids evaluated in one batch into an empty KV cache.
// decode:  greedy generation of --new-tokens from a 1-token prompt; the rate counts tokens 2..n, so the
//          first token (which includes prompt evaluation) is excluded.
// One warm-up repetition (it pages the mapped weights in) runs first and is not counted.
// Prints one JSON line with the median over --reps of each rate, with the same keys as `peregrine bench --json`.
import path from "node:path";
import fs from "node:fs";
import { openLlama } from "./llama.mjs";

const opt = { promptTokens: 128, newTokens: 64, threads: 2, reps: 3 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
    const a = args[i], next = () => args[++i];
    if (a === "--model") opt.model = next();
    else if (a === "--prompt-tokens") opt.promptTokens = Number(next());
    else if (a === "--new-tokens") opt.newTokens = Number(next());
    else if (a === "--threads") opt.threads = Number(next());
    else if (a === "--reps") opt.reps = Number(next());
    else { console.error("unknown argument " + a); process.exit(2); }
}
if (!opt.model) { console.error("usage: node bench.mjs --model M.gguf [--prompt-tokens 128] [--new-tokens 64] [--threads 2]"); process.exit(2); }

const seconds = () => Number(process.hrtime.bigint()) / 1e9;
const llama = await openLlama(opt.threads);
let t0 = seconds();
const model = await llama.loadModel({ modelPath: path.resolve(opt.model), gpuLayers: 0 });
const loadS = seconds() - t0;
const context = await model.createContext({ contextSize: 1024, batchSize: 512, threads: { ideal: opt.threads, min: opt.threads },
    sequences: 1, flashAttention: false });
const seq = context.getSequence();

// a fixed pseudo-random prompt of ordinary tokens (past the specials and byte tokens)
let state = 12345;
const nextRandom = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
const vocab = model.fileInfo?.metadata?.tokenizer?.ggml?.tokens?.length ?? 512;
const lo = Math.min(300, vocab - 1), span = Math.max(1, vocab - lo);
const prompt = Array.from({ length: opt.promptTokens }, () => lo + Math.floor(nextRandom() * span));

const prefill = [], decode = [];
for (let rep = 0; rep <= opt.reps; rep++) {
    await seq.clearHistory();
    let t = seconds();
    await seq.evaluateWithoutGeneratingNewTokens(prompt);
    const prefillRate = opt.promptTokens / (seconds() - t);

    await seq.clearHistory();
    let n = 0, tFirst = 0, tLast = 0;
    for await (const _ of seq.evaluate([prompt[0]], { temperature: 0, yieldEogToken: true })) {
        n++;
        tLast = seconds();
        if (n === 1) tFirst = tLast;
        if (n >= opt.newTokens) break;
    }
    if (rep > 0) {
        prefill.push(prefillRate);
        decode.push((n - 1) / (tLast - tFirst));
    }
}
const median = xs => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const round = x => Math.round(x * 1000) / 1000;
console.log(JSON.stringify({
    engine: "llama.cpp", llama_cpp: `${llama.llamaCppRelease.repo} ${llama.llamaCppRelease.release}`,
    model: path.basename(opt.model), size_bytes: fs.statSync(opt.model).size, threads: opt.threads,
    prompt_tokens: opt.promptTokens, new_tokens: opt.newTokens, reps: opt.reps,
    load_s: round(loadS), prefill_tokens_per_s: round(median(prefill)), decode_tokens_per_s: round(median(decode)),
}));
await context.dispose();
await model.dispose();
await llama.dispose();
