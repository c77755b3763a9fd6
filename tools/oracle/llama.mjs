// Shared loader for the oracle scripts: imports node-llama-cpp from $ORACLE_NODE_DIR or next to this file,
// never downloading or building anything.
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= "true";
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.env.ORACLE_NODE_DIR ?? here;
const entry = path.join(dir, "node_modules/node-llama-cpp/dist/index.js");
if (!fs.existsSync(entry)) {
    console.error(`llama.cpp oracle not installed in ${dir}: run tools/oracle/setup.sh`);
    process.exit(3);
}
export const nlc = await import(pathToFileURL(entry).href);

export async function openLlama(threads) {
    return nlc.getLlama({ gpu: false, build: "never", usePrebuiltBinaries: true, progressLogs: false,
        logLevel: nlc.LlamaLogLevel.error, maxThreads: threads });
}
