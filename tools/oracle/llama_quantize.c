// Runs llama.cpp's llama_model_quantize (what llama-quantize runs, without an importance matrix) on one file.
// usage: llama_quantize IN.gguf OUT.gguf FTYPE pure|mix   (FTYPE: llama_ftype number, e.g. 15 = Q4_K_M)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "llama.h"

int main(int argc, char ** argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s IN.gguf OUT.gguf FTYPE pure|mix\n", argv[0]);
        return 2;
    }
    llama_backend_init();
    llama_model_quantize_params params = llama_model_quantize_default_params();
    params.ftype = (enum llama_ftype) atoi(argv[3]);
    params.pure = strcmp(argv[4], "pure") == 0;
    params.nthread = 1;
    uint32_t rc = llama_model_quantize(argv[1], argv[2], &params);
    llama_backend_free();
    return rc == 0 ? 0 : 1;
}
