// PNG writing through libpng: 8-bit RGB, no interlacing, default compression. See
// CImageCodecs.h for the contract. As in the decoders, libpng's fatal errors longjmp back to a
// setjmp in this function and never cross a Swift frame.

#include "CImageCodecs.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <png.h>

typedef struct png_write_failure {
    char *err;
    size_t errlen;
} png_write_failure;

static void png_write_on_error(png_structp png, png_const_charp message) {
    png_write_failure *failure = (png_write_failure *)png_get_error_ptr(png);
    if (failure->err != NULL && failure->errlen > 0) {
        snprintf(failure->err, failure->errlen, "%s", message);
    }
    png_longjmp(png, 1);
}

static void png_write_on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

int sc_write_png_rgb(const char *path, const uint8_t *pixels, size_t width, size_t height, char *err, size_t errlen) {
    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    if (path == NULL || pixels == NULL || width == 0 || height == 0 || width > 0x7fffffff || height > 0x7fffffff ||
        width * height > SC_MAX_PIXELS) {
        if (err != NULL && errlen > 0) {
            snprintf(err, errlen, "bad image size %zux%zu", width, height);
        }
        return 1;
    }
    FILE *file = fopen(path, "wb");
    if (file == NULL) {
        if (err != NULL && errlen > 0) {
            snprintf(err, errlen, "cannot open for writing: %s", strerror(errno));
        }
        return 1;
    }
    png_write_failure failure = {err, errlen};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &failure, png_write_on_error, png_write_on_warning);
    png_infop info = png != NULL ? png_create_info_struct(png) : NULL;
    if (png == NULL || info == NULL) {
        png_destroy_write_struct(&png, &info);
        fclose(file);
        if (err != NULL && errlen > 0) {
            snprintf(err, errlen, "out of memory");
        }
        return 1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(file);
        return 1;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (size_t row = 0; row < height; row++) {
        png_write_row(png, (png_const_bytep)(pixels + row * width * 3));
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    if (fclose(file) != 0) {
        if (err != NULL && errlen > 0) {
            snprintf(err, errlen, "cannot finish writing: %s", strerror(errno));
        }
        return 1;
    }
    return 0;
}
