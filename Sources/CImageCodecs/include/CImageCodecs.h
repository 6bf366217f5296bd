#ifndef SHUFFLESCOPE_C_IMAGE_CODECS_H
#define SHUFFLESCOPE_C_IMAGE_CODECS_H

// A tiny shim over the system PNG and JPEG decoders. Every decoder error is caught inside the C
// function that raised it (libpng and libjpeg report errors by longjmp, which must never cross
// into Swift frames) and comes back as a non-zero status plus a message.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A decoded image: 8-bit RGB, rows top to bottom, 3 bytes per pixel, no row padding.
/// `pixels` holds `width * height * 3` bytes, allocated with malloc; release it with
/// `sc_image_free`.
typedef struct sc_image {
    uint8_t *pixels;
    size_t width;
    size_t height;
} sc_image;

/// Largest image the decoders accept, in pixels (64 Mi pixels, 192 MiB of RGB). Guards against
/// headers that claim absurd sizes.
#define SC_MAX_PIXELS ((size_t)1 << 26)

/// Decodes a PNG held in memory into 8-bit RGB.
///
/// Gray becomes R = G = B, palettes are expanded, 1/2/4-bit samples are scaled to 8 bits,
/// 16-bit samples keep their high byte, and alpha (or a tRNS chunk) is dropped without
/// compositing. Gamma and colour-profile chunks are ignored. The whole file must be present
/// up to and including IEND.
///
/// Returns 0 on success and fills `out`; otherwise returns non-zero, leaves `out` empty and
/// writes a NUL-terminated message of at most `errlen` bytes into `err`.
int sc_decode_png(const uint8_t *data, size_t size, sc_image *out, char *err, size_t errlen);

/// Decodes a baseline or progressive JPEG held in memory into 8-bit RGB.
///
/// YCbCr and RGB files decode to RGB; grayscale becomes R = G = B. CMYK and YCCK files are
/// rejected. Corrupt-data warnings (for example a truncated file, which the library would
/// otherwise pad with grey) are treated as errors. Decoding uses the library defaults
/// (integer slow DCT, fancy upsampling).
///
/// Same return convention as `sc_decode_png`.
int sc_decode_jpeg(const uint8_t *data, size_t size, sc_image *out, char *err, size_t errlen);

/// Frees the pixels of an image filled by a decoder and resets it to empty. Safe on an
/// empty image.
void sc_image_free(sc_image *image);

// MARK: - Writing

/// Writes 8-bit RGB pixels (rows top to bottom, 3 bytes per pixel, no padding) to `path` as a
/// PNG (no interlacing, no gamma or colour-profile chunks). The file is created or replaced.
///
/// Returns 0 on success; otherwise non-zero with a NUL-terminated message of at most `errlen`
/// bytes in `err` (a partly written file may remain).
int sc_write_png_rgb(const char *path, const uint8_t *pixels, size_t width, size_t height, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
