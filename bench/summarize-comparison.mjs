#!/usr/bin/env node
// Summarizes run-llamacpp-comparison.sh's raw runs (JSON lines: {engine, model, round, result}) into a results
// JSON file and bench/RESULTS.md: per model and engine the median of each rate over rounds, and Peregrine/llama.cpp.
// Usage: node summarize-comparison.mjs RAW.jsonl OUT.json RESULTS.md "COMMAND"
import fs from "node:fs";
import os from "node:os";

const [rawFile, outJson, outMd, command] = process.argv.slice(2);
const runs = fs.readFileSync(rawFile, "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
const median = xs => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const metrics = ["prefill_tokens_per_s", "decode_tokens_per_s", "load_s"];

const models = [...new Set(runs.map(r => r.model))];
const summary = models.map(model => {
    const row = { model };
    for (const engine of ["llama.cpp", "peregrine"]) {
        const mine = runs.filter(r => r.model === model && r.engine === engine);
        row[engine] = Object.fromEntries(metrics.map(k => [k, round(median(mine.map(r => r.result[k])), 3)]));
        row[engine].rounds = mine.length;
    }
    row.size_bytes = runs.find(r => r.model === model && r.result.size_bytes)?.result.size_bytes ?? null;
    row.ratio_prefill = round(row.peregrine.prefill_tokens_per_s / row["llama.cpp"].prefill_tokens_per_s, 3);
    row.ratio_decode = round(row.peregrine.decode_tokens_per_s / row["llama.cpp"].decode_tokens_per_s, 3);
    return row;
});
const llamaCpp = runs.find(r => r.engine === "llama.cpp")?.result.llama_cpp;
const host = `${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} CPUs, ${round(os.totalmem() / 2 ** 30, 0)} GiB`;
const date = new Date().toISOString().slice(0, 10);
fs.writeFileSync(outJson, JSON.stringify({ date, command, host, llama_cpp: llamaCpp, threads: 2, prompt_tokens: 128,
    new_tokens: 64, summary, runs }, null, 1) + "\n");

const md = [
    "# Peregrine vs llama.cpp",
    "",
    `${date}, ${host}; llama.cpp (${llamaCpp}, node-llama-cpp prebuilt CPU). Random-weight models with the real shapes`,
    "(RandomModel fast mode), prefill of a 128-token prompt and decode of 64 tokens, 2 threads, one warm-up excluded.",
    "Runs alternate llama.cpp / Peregrine; numbers are medians over rounds. Ratio = Peregrine / llama.cpp (higher is better for Peregrine).",
    "",
    "| model | file | llama.cpp prefill / decode tok/s | Peregrine prefill / decode tok/s | prefill ratio | decode ratio | rounds |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...summary.map(r => `| ${r.model} | ${r.size_bytes ? (r.size_bytes / 1e9).toFixed(2) + " GB" : "?"} | ` +
        `${r["llama.cpp"].prefill_tokens_per_s} / ${r["llama.cpp"].decode_tokens_per_s} | ` +
        `${r.peregrine.prefill_tokens_per_s} / ${r.peregrine.decode_tokens_per_s} | ${r.ratio_prefill} | ${r.ratio_decode} | ${r.peregrine.rounds} |`),
    "",
    "Command:",
    "",
    "```sh",
    command,
    "```",
    "",
    `Raw runs: bench/results/${outJson.split("/").pop()}`,
    "",
].join("\n");
fs.writeFileSync(outMd, md);
console.log(md);
