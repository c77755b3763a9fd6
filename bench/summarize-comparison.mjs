#!/usr/bin/env node
// Summarizes run-llamacpp-comparison.sh's raw runs (JSON lines: {engine, model, round, result}) into a results
// JSON file and bench/RESULTS.md: per model and engine the median of each rate over rounds, and Peregrine/llama.cpp.
// Usage: node summarize-comparison.mjs RAW.jsonl OUT.json RESULTS.md "COMMAND"
import fs from "node:fs";
import os from "node:os";

const [rawFile, outJson, outMd, command] = process.argv.slice(2);
const chartFile = outMd.replace(/[^/]*$/, "comparison.svg");
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
    // each round's pair of runs ran back to back: their ratios show how much the host drifted between rounds
    const rounds = [...new Set(runs.filter(r => r.model === model).map(r => r.round))];
    row.round_ratios = rounds.map(n => {
        const of = engine => runs.find(r => r.model === model && r.round === n && r.engine === engine)?.result;
        const [l, p] = [of("llama.cpp"), of("peregrine")];
        return l && p ? { prefill: round(p.prefill_tokens_per_s / l.prefill_tokens_per_s, 3), decode: round(p.decode_tokens_per_s / l.decode_tokens_per_s, 3) } : null;
    }).filter(Boolean);
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
    "| model | file | llama.cpp prefill / decode tok/s | Peregrine prefill / decode tok/s | prefill ratio | decode ratio | decode ratio per round | load s (llama.cpp / Peregrine) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...summary.map(r => `| ${r.model} | ${r.size_bytes ? (r.size_bytes / 1e9).toFixed(2) + " GB" : "?"} | ` +
        `${r["llama.cpp"].prefill_tokens_per_s} / ${r["llama.cpp"].decode_tokens_per_s} | ` +
        `${r.peregrine.prefill_tokens_per_s} / ${r.peregrine.decode_tokens_per_s} | ${r.ratio_prefill} | ${r.ratio_decode} | ` +
        `${r.round_ratios.map(x => x.decode).join(", ")} | ${r["llama.cpp"].load_s} / ${r.peregrine.load_s} |`),
    "",
    `![Peregrine / llama.cpp, prefill and decode](${chartFile.split("/").pop()})`,
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
fs.writeFileSync(chartFile, chart(summary));
console.log(md);

/** Bars of Peregrine/llama.cpp per model (prefill, decode) against parity and the issues' targets, as SVG. */
function chart(rows) {
    const W = 120 + rows.length * 150, H = 300, top = 30, base = 250, max = 1.5;
    const y = v => round(base - (Math.min(v, max) / max) * (base - top), 1);
    const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
        `<text x="10" y="18" font-size="14">Peregrine / llama.cpp (same GGUF file, 2 threads, medians; higher is better)</text>`];
    for (const [v, label, dash] of [[1, "parity", ""], [0.8, "0.8", "4 3"], [1.2, "1.2", "4 3"]]) {
        out.push(`<line x1="60" x2="${W - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#888" stroke-dasharray="${dash}"/>`,
            `<text x="8" y="${y(v) + 4}" fill="#555">${label}</text>`);
    }
    rows.forEach((r, i) => {
        const x = 80 + i * 150;
        [["prefill", r.ratio_prefill, "#7aa6d8"], ["decode", r.ratio_decode, "#e08a3c"]].forEach(([name, v, color], j) => {
            out.push(`<rect x="${x + j * 55}" y="${y(v)}" width="45" height="${base - y(v)}" fill="${color}"/>`,
                `<text x="${x + j * 55 + 22}" y="${y(v) - 4}" text-anchor="middle">${v}</text>`,
                `<text x="${x + j * 55 + 22}" y="${base + 14}" text-anchor="middle" fill="#555">${name}</text>`);
        });
        out.push(`<text x="${x + 50}" y="${base + 32}" text-anchor="middle">${r.model}</text>`);
    });
    out.push("</svg>");
    return out.join("\n") + "\n";
}
