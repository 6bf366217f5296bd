// PNG and JPEG decoding into 8-bit RGB. See CImageCodecs.h for the contract.
//
// Both libraries report fatal errors by calling a handler that must not return. Each decoder
// below installs a handler that records the message and longjmps back to a setjmp in the same
// C function, so no jump ever crosses a Swift frame and nothing calls abort or prints.

#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

static void write_message(char *err, size_t errlen, const char *message) {
    if (err != NULL && errlen > 0) {
        snprintf(err, errlen, "%s", message);
    }
}

static int fail_early(char *err, size_t errlen, const char *message) {
    write_message(err, errlen, message);
    return 1;
}

void sc_image_free(sc_image *image) {
    if (image == NULL) {
        return;
    }
    free(image->pixels);
    image->pixels = NULL;
    image->width = 0;
    image->height = 0;
}

// MARK: - PNG

/// Where libpng's error handler writes its message. Set before setjmp and only read after,
/// so its value is well defined when the jump lands.
typedef struct png_failure {
    char *err;
    size_t errlen;
    /// Set by the warning handler when the image data does not match the header.
    int inconsistent_data;
} png_failure;

/// The in-memory file libpng reads from.
typedef struct png_source {
    const uint8_t *data;
    size_t size;
    size_t offset;
} png_source;

static void png_on_error(png_structp png, png_const_charp message) {
    png_failure *failure = (png_failure *)png_get_error_ptr(png);
    write_message(failure->err, failure->errlen, message);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp message) {
    // Warnings (bad ancillary chunks, unknown profiles) leave the pixels intact: stay quiet.
    // Surplus image data ("Too much image data", "Extra compressed data") means the header's
    // size is not the data's: remember it, so the image is refused once reading ends.
    png_failure *failure = (png_failure *)png_get_error_ptr(png);
    if (strstr(message, "image data") != NULL || strstr(message, "compressed data") != NULL) {
        failure->inconsistent_data = 1;
    }
}

static void png_read_from_memory(png_structp png, png_bytep destination, size_t length) {
    png_source *source = (png_source *)png_get_io_ptr(png);
    if (length > source->size - source->offset) {
        png_error(png, "file is truncated");
    }
    memcpy(destination, source->data + source->offset, length);
    source->offset += length;
}

int sc_decode_png(const uint8_t *data, size_t size, size_t max_pixels, sc_image *out, char *err, size_t errlen) {
    if (out == NULL || data == NULL) {
        return fail_early(err, errlen, "no data");
    }
    memset(out, 0, sizeof *out);
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        return fail_early(err, errlen, "not a PNG file (bad signature)");
    }

    png_failure failure = {err, errlen, 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &failure, png_on_error, png_on_warning);
    if (png == NULL) {
        return fail_early(err, errlen, "out of memory");
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return fail_early(err, errlen, "out of memory");
    }
    png_source source = {data, size, 0};
    // Assigned after setjmp, so volatile: their values must survive the jump to be freed.
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;

    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(pixels);
        png_destroy_read_struct(&png, &info, NULL);
        return 1;
    }

    png_set_read_fn(png, &source, png_read_from_memory);
    png_read_info(png, info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, NULL, NULL, NULL);
    if (height != 0 && (size_t)width > max_pixels / (size_t)height) {
        png_destroy_read_struct(&png, &info, NULL);
        out->width = width;
        out->height = height;
        write_message(err, errlen, "image is over the pixel budget");
        return SC_TOO_LARGE;
    }

    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
    }
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) {
        png_set_expand_gray_1_2_4_to_8(png);
    }
    if (bit_depth == 16) {
        png_set_strip_16(png);
    }
    // Expanding a palette also turns a tRNS chunk into an alpha channel; drop it like a real one.
    if ((color_type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS)) {
        png_set_strip_alpha(png);
    }
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) {
        png_set_gray_to_rgb(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    size_t row_bytes = png_get_rowbytes(png, info);
    if (png_get_channels(png, info) != 3 || png_get_bit_depth(png, info) != 8 || row_bytes != (size_t)width * 3) {
        png_error(png, "unexpected pixel layout after conversion to 8-bit RGB");
    }
    pixels = malloc(row_bytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (pixels == NULL || rows == NULL) {
        png_error(png, "out of memory");
    }
    for (png_uint_32 y = 0; y < height; y++) {
        rows[y] = pixels + (size_t)y * row_bytes;
    }
    png_read_image(png, rows);
    // Reading through IEND makes a file truncated after its image data an error too.
    png_read_end(png, NULL);
    if (failure.inconsistent_data) {
        png_error(png, "the image data holds more rows or bytes than the header declares");
    }

    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    out->pixels = pixels;
    out->width = width;
    out->height = height;
    return 0;
}

// MARK: - JPEG

/// libjpeg's error manager, extended with the jump target and the caller's message buffer.
typedef struct jpeg_failure {
    struct jpeg_error_mgr manager;  // first, so a `j_common_ptr->err` can be cast back
    jmp_buf jump;
    char *err;
    size_t errlen;
} jpeg_failure;

static void jpeg_on_error_exit(j_common_ptr info) {
    jpeg_failure *failure = (jpeg_failure *)info->err;
    char message[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, message);
    write_message(failure->err, failure->errlen, message);
    longjmp(failure->jump, 1);
}

static void jpeg_on_emit_message(j_common_ptr info, int level) {
    // Level -1 is a corrupt-data warning: the library would go on with invented pixels (grey
    // for a truncated file). Treat it as fatal, except for stray bytes between markers, which
    // leave the image untouched and are common in files from cameras.
    if (level < 0 && info->err->msg_code != JWRN_EXTRANEOUS_DATA) {
        jpeg_on_error_exit(info);
    }
}

static void jpeg_on_output_message(j_common_ptr info) {
    (void)info;  // never print
}

static void jpeg_fail(j_decompress_ptr info, const char *message) {
    jpeg_failure *failure = (jpeg_failure *)info->err;
    write_message(failure->err, failure->errlen, message);
    longjmp(failure->jump, 1);
}

int sc_decode_jpeg(const uint8_t *data, size_t size, size_t max_pixels, sc_image *out, char *err, size_t errlen) {
    if (out == NULL || data == NULL) {
        return fail_early(err, errlen, "no data");
    }
    memset(out, 0, sizeof *out);
    if (size < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF) {
        return fail_early(err, errlen, "not a JPEG file (bad start-of-image marker)");
    }

    struct jpeg_decompress_struct info;
    jpeg_failure failure;
    memset(&info, 0, sizeof info);
    memset(&failure, 0, sizeof failure);
    info.err = jpeg_std_error(&failure.manager);
    failure.manager.error_exit = jpeg_on_error_exit;
    failure.manager.emit_message = jpeg_on_emit_message;
    failure.manager.output_message = jpeg_on_output_message;
    failure.err = err;
    failure.errlen = errlen;
    // Assigned after setjmp, so volatile: its value must survive the jump to be freed.
    uint8_t *volatile pixels = NULL;

    if (setjmp(failure.jump)) {
        jpeg_destroy_decompress(&info);
        free(pixels);
        return 1;
    }

    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    if (info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK) {
        jpeg_fail(&info, "CMYK JPEG files are not supported (convert the image to RGB)");
    }
    if (info.image_height != 0 && (size_t)info.image_width > max_pixels / (size_t)info.image_height) {
        out->width = info.image_width;
        out->height = info.image_height;
        jpeg_destroy_decompress(&info);
        write_message(err, errlen, "image is over the pixel budget");
        return SC_TOO_LARGE;
    }
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    if (info.output_components != 3) {
        jpeg_fail(&info, "unexpected pixel layout after conversion to 8-bit RGB");
    }

    size_t width = info.output_width;
    size_t height = info.output_height;
    size_t row_bytes = width * 3;
    pixels = malloc(row_bytes * height);
    if (pixels == NULL) {
        jpeg_fail(&info, "out of memory");
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = pixels + (size_t)info.output_scanline * row_bytes;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);

    out->pixels = pixels;
    out->width = width;
    out->height = height;
    return 0;
}
