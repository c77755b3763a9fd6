#!/usr/bin/env node
// Summarizes run-batched-decode-comparison.sh's raw runs (JSON lines: {engine, model, round, sequences, tok_s}):
// per model, engine and sequence count the median aggregate tokens/s over rounds, each engine's scaling against
// one sequence, and Peregrine/llama.cpp. Usage: node summarize-batched-comparison.mjs RAW.jsonl OUT.json OUT.md "COMMAND"
import fs from "node:fs";
import os from "node:os";

const [rawFile, outJson, outMd, command] = process.argv.slice(2);
const runs = fs.readFileSync(rawFile, "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
const median = xs => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const rate = (model, engine, n) => {
    const xs = runs.filter(r => r.model === model && r.engine === engine && r.sequences === n).map(r => r.tok_s);
    return xs.length ? { median: round(median(xs)), rounds: xs } : null;
};

const rows = [];
for (const model of [...new Set(runs.map(r => r.model))]) {
    const counts = [...new Set(runs.filter(r => r.model === model).map(r => r.sequences))].sort((a, b) => a - b);
    for (const n of counts) {
        const l = rate(model, "llama.cpp", n), p = rate(model, "peregrine", n);
        const l1 = rate(model, "llama.cpp", counts[0]), p1 = rate(model, "peregrine", counts[0]);
        rows.push({ model, sequences: n, llama_cpp: l, peregrine: p,
            llama_cpp_vs_fewest: l && l1 ? round(l.median / l1.median) : null,
            peregrine_vs_fewest: p && p1 ? round(p.median / p1.median) : null,
            ratio: l && p ? round(p.median / l.median, 3) : null });
    }
}
const host = `${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model.trim()}, ${os.cpus().length} CPUs, `
    + `${Math.round(os.totalmem() / 2 ** 30)} GiB`;
fs.writeFileSync(outJson, JSON.stringify({ host, command, rows, runs }, null, 1) + "\n");
const lines = [
    `${host}. Aggregate decode tokens/s with N sequences at once (medians over rounds), 2 threads; random-weight models`,
    "with the real shapes. \"vs fewest\" is each engine's rate against its own rate with the fewest sequences;",
    "ratio = Peregrine / llama.cpp at the same N (higher is better for Peregrine).",
    "",
    "| model | sequences | llama.cpp tok/s (rounds) | Peregrine tok/s (rounds) | llama.cpp vs fewest | Peregrine vs fewest | ratio |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(r => `| ${r.model} | ${r.sequences} | ${r.llama_cpp?.median} (${r.llama_cpp?.rounds.join(", ")}) | `
        + `${r.peregrine?.median} (${r.peregrine?.rounds.join(", ")}) | ${r.llama_cpp_vs_fewest} | ${r.peregrine_vs_fewest} | ${r.ratio} |`),
    "",
    "Command:", "", "```sh", command, "```", "",
];
fs.writeFileSync(outMd, lines.join("\n"));
