#!/usr/bin/env node
// batched.mjs - llama.cpp's aggregate decode speed with several sequences decoding at once, the anchor for
// Peregrine's batched decode (bench/run-batched-decode-comparison.sh).
//
// Usage: node batched.mjs --model M.gguf [--sequences 1,8] [--new-tokens 32] [--threads 2] [--reps 3]
//
// For each count N: one context with N sequences; every sequence starts from its own 2-token prompt and decodes
// greedily, all at once (node-llama-cpp puts the sequences' next tokens into one llama_decode per step; the first
// tokens all arrive together, which shows it). The rate counts tokens 2..n of every sequence over the time from the
// last sequence's first token to the last token. One warm-up repetition per count is not counted.
// Prints one JSON line: {"sequences": [{"sequences": N, "aggregate_tok_s": median, "aggregate_tok_s_reps": [...]}]}
import path from "node:path";
import { openLlama } from "./llama.mjs";

const opt = { sequences: [1, 8], newTokens: 32, threads: 2, reps: 3 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
    const a = args[i], next = () => args[++i];
    if (a === "--model") opt.model = next();
    else if (a === "--sequences") opt.sequences = next().split(",").map(Number);
    else if (a === "--new-tokens") opt.newTokens = Number(next());
    else if (a === "--threads") opt.threads = Number(next());
    else if (a === "--reps") opt.reps = Number(next());
    else { console.error("unknown argument " + a); process.exit(2); }
}
if (!opt.model || opt.newTokens < 2 || opt.sequences.some(n => !(n >= 1))) {
    console.error("usage: node batched.mjs --model M.gguf [--sequences 1,8] [--new-tokens 32 (at least 2)] [--threads 2] [--reps 3]");
    process.exit(2);
}

const seconds = () => Number(process.hrtime.bigint()) / 1e9;
const llama = await openLlama(opt.threads);
const model = await llama.loadModel({ modelPath: path.resolve(opt.model), gpuLayers: 0 });
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function aggregateRate(n) {
    const context = await model.createContext({ contextSize: 256 * n, batchSize: 512,
        threads: { ideal: opt.threads, min: opt.threads }, sequences: n, flashAttention: false });
    try {
        const first = [], last = [];
        await Promise.all(Array.from({ length: n }, async (_, i) => {
            let k = 0;
            for await (const _ of context.getSequence().evaluate([300 + 17 * i, 400 + i], { temperature: 0, yieldEogToken: true })) {
                if (++k === 1) first[i] = seconds();
                if (k >= opt.newTokens) { last[i] = seconds(); break; }
            }
        }));
        return n * (opt.newTokens - 1) / (Math.max(...last) - Math.max(...first));
    } finally {
        await context.dispose();
    }
}

const out = [];
for (const n of opt.sequences) {
    const reps = [];
    for (let rep = 0; rep <= opt.reps; rep++) {
        const rate = await aggregateRate(n);
        if (rep > 0) reps.push(+rate.toFixed(2));
    }
    out.push({ sequences: n, aggregate_tok_s: median(reps), aggregate_tok_s_reps: reps });
}
console.log(JSON.stringify({ engine: "llama.cpp", model: path.basename(opt.model), threads: opt.threads,
    new_tokens: opt.newTokens, sequences: out }));
await model.dispose();
