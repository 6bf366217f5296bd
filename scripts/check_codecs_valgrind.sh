#!/bin/sh
# Runs the PNG/JPEG shim under valgrind on truncated, byte-flipped and random inputs, to check
# that every failure path (the longjmps out of libpng and libjpeg) frees what it allocated and
# touches no invalid memory. The Swift test binary itself cannot run under valgrind 3.19.
#
# Usage, from the repository root (needs a C compiler, libpng-dev, libjpeg-dev and valgrind):
#     sh scripts/check_codecs_valgrind.sh
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/harness.c" <<'C'
#include "CImageCodecs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state = 42;
static unsigned next_random(void) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(state >> 33);
}

static int decode(const unsigned char *data, size_t size, int is_png) {
    char message[256];
    sc_image image;
    int status = is_png ? sc_decode_png(data, size, &image, message, sizeof message)
                        : sc_decode_jpeg(data, size, &image, message, sizeof message);
    if (status == 0) {
        volatile unsigned sum = 0;  /* read every pixel so valgrind checks they are defined */
        for (size_t i = 0; i < image.width * image.height * 3; i++) sum += image.pixels[i];
        sc_image_free(&image);
    }
    return status == 0;
}

int main(int argc, char **argv) {
    int decoded = 0, rejected = 0;
    for (int argument = 1; argument < argc; argument++) {
        FILE *file = fopen(argv[argument], "rb");
        if (file == NULL) { perror(argv[argument]); return 2; }
        fseek(file, 0, SEEK_END);
        size_t size = (size_t)ftell(file);
        fseek(file, 0, SEEK_SET);
        unsigned char *data = malloc(size);
        if (fread(data, 1, size, file) != size) { fclose(file); return 2; }
        fclose(file);
        int is_png = data[0] == 0x89;
        for (int step = 0; step <= 40; step++) {
            size_t cut = size * (size_t)step / 40;
            for (int flip = 0; flip < 2; flip++) {
                unsigned char *copy = malloc(cut + 1);
                memcpy(copy, data, cut);
                if (flip && cut > 20)
                    for (int k = 0; k < 3; k++) copy[8 + next_random() % (cut - 8)] ^= (unsigned char)(1 + next_random() % 255);
                if (decode(copy, cut, is_png)) decoded++; else rejected++;
                free(copy);
            }
        }
        for (int trial = 0; trial < 20; trial++) {
            size_t length = 8 + next_random() % 4000;
            unsigned char *noise = malloc(length);
            for (size_t i = 0; i < length; i++) noise[i] = (unsigned char)next_random();
            memcpy(noise, data, 8);
            if (decode(noise, length, is_png)) decoded++; else rejected++;
            free(noise);
        }
        free(data);
    }
    printf("decoded %d, rejected %d\n", decoded, rejected);
    return 0;
}
C
cc -g -O1 -I Sources/CImageCodecs/include "$work/harness.c" Sources/CImageCodecs/image_codecs.c -lpng -ljpeg -o "$work/harness"
valgrind --error-exitcode=9 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
    "$work/harness" assets/*.jpg assets/*.png Tests/ModelTests/Data/images/*.png Tests/ModelTests/Data/images/*.jpg
