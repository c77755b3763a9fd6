// Quantizes / dequantizes with ggml's own reference code (libggml-base from node-llama-cpp's prebuilt binary).
// usage: ggml_quant_ref quantize q4_K|q5_K|q6_K|q8_K|q5_0|q5_1 IN.f32 OUT   (IN: little-endian floats, a multiple of 256)
//        ggml_quant_ref dequantize q4_K|q5_K|q6_K|q5_0|q5_1 IN.bin OUT.f32
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void quantize_row_q4_K_ref(const float * x, void * y, int64_t k);
void quantize_row_q5_K_ref(const float * x, void * y, int64_t k);
void quantize_row_q6_K_ref(const float * x, void * y, int64_t k);
void quantize_row_q8_K_ref(const float * x, void * y, int64_t k);
void quantize_row_q5_0_ref(const float * x, void * y, int64_t k);
void quantize_row_q5_1_ref(const float * x, void * y, int64_t k);
void dequantize_row_q5_0(const void * x, float * y, int64_t k);
void dequantize_row_q5_1(const void * x, float * y, int64_t k);
void dequantize_row_q4_K(const void * x, float * y, int64_t k);
void dequantize_row_q5_K(const void * x, float * y, int64_t k);
void dequantize_row_q6_K(const void * x, float * y, int64_t k);

static size_t block_bytes(const char * t) {
    if (!strcmp(t, "q4_K")) return 144;
    if (!strcmp(t, "q5_K")) return 176;
    if (!strcmp(t, "q6_K")) return 210;
    if (!strcmp(t, "q8_K")) return 292;
    if (!strcmp(t, "q5_0")) return 22;
    if (!strcmp(t, "q5_1")) return 24;
    fprintf(stderr, "unknown type %s\n", t);
    exit(2);
}

static int64_t block_values(const char * t) {
    return t[2] == '_' && t[3] != 'K' ? 32 : 256;
}

static void * slurp(const char * path, size_t * size) {
    FILE * f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    *size = (size_t) ftell(f);
    fseek(f, 0, SEEK_SET);
    void * buf = malloc(*size);
    if (fread(buf, 1, *size, f) != *size) { perror(path); exit(1); }
    fclose(f);
    return buf;
}

int main(int argc, char ** argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s quantize|dequantize TYPE IN OUT\n", argv[0]); return 2; }
    size_t size, bb = block_bytes(argv[2]);
    void * in = slurp(argv[3], &size);
    void * out;
    size_t out_size;
    if (!strcmp(argv[1], "quantize")) {
        int64_t k = (int64_t) (size / 4);
        out_size = (size_t) (k / block_values(argv[2])) * bb;
        out = malloc(out_size);
        if (!strcmp(argv[2], "q4_K")) quantize_row_q4_K_ref(in, out, k);
        else if (!strcmp(argv[2], "q5_K")) quantize_row_q5_K_ref(in, out, k);
        else if (!strcmp(argv[2], "q6_K")) quantize_row_q6_K_ref(in, out, k);
        else if (!strcmp(argv[2], "q5_0")) quantize_row_q5_0_ref(in, out, k);
        else if (!strcmp(argv[2], "q5_1")) quantize_row_q5_1_ref(in, out, k);
        else quantize_row_q8_K_ref(in, out, k);
    } else {
        int64_t k = (int64_t) (size / bb) * block_values(argv[2]);
        out_size = (size_t) k * 4;
        out = malloc(out_size);
        if (!strcmp(argv[2], "q4_K")) dequantize_row_q4_K(in, out, k);
        else if (!strcmp(argv[2], "q5_K")) dequantize_row_q5_K(in, out, k);
        else if (!strcmp(argv[2], "q6_K")) dequantize_row_q6_K(in, out, k);
        else if (!strcmp(argv[2], "q5_0")) dequantize_row_q5_0(in, out, k);
        else if (!strcmp(argv[2], "q5_1")) dequantize_row_q5_1(in, out, k);
        else { fprintf(stderr, "no dequantizer for %s\n", argv[2]); return 2; }
    }
    FILE * f = fopen(argv[4], "wb");
    if (!f || fwrite(out, 1, out_size, f) != out_size) { perror(argv[4]); return 1; }
    fclose(f);
    return 0;
}
