// Prints llama.cpp's tokenization of strings as JSON, for the tokenizer golden files.
// Usage: node tokenize.mjs MODEL.gguf STRINGS.json  (STRINGS.json: a JSON array of strings)
// Output: {"gguf_sha256": the model file's sha256, "add_bos"/"add_eos": llama.cpp's BOS/EOS rules, "cases":[{"text":..., "plain":[ids without special-token parsing], "special":[ids with it],
//          "decoded": llama.cpp's detokenize(plain)}]}. No BOS/EOS is added (add_special = false).
import fs from "node:fs";
import crypto from "node:crypto";
import { openLlama } from "./llama.mjs";

const [modelPath, stringsPath] = process.argv.slice(2);
if (!modelPath || !stringsPath) {
    console.error("usage: node tokenize.mjs MODEL.gguf STRINGS.json");
    process.exit(2);
}
const strings = JSON.parse(fs.readFileSync(stringsPath, "utf8"));
const llama = await openLlama(1);
const model = await llama.loadModel({ modelPath, gpuLayers: 0, useMmap: true });
const cases = strings.map((text) => {
    const plain = Array.from(model.tokenize(text, false));
    const special = Array.from(model.tokenize(text, true));
    return { text, plain, special, decoded: model.detokenize(plain, false) };
});
const sha256 = crypto.createHash("sha256").update(fs.readFileSync(modelPath)).digest("hex");
// one case per line keeps the committed files reviewable
const rules = `"add_bos": ${model.tokens.shouldPrependBosToken}, "add_eos": ${model.tokens.shouldAppendEosToken}`;
process.stdout.write(`{"gguf_sha256": ${JSON.stringify(sha256)}, ${rules}, "cases": [\n${cases.map((c) => JSON.stringify(c)).join(",\n")}\n]}\n`);
await model.dispose();
await llama.dispose();
