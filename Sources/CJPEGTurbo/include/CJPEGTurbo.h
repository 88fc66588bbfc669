// A thin C layer over Debian's libjpeg-turbo: libjpeg reports errors with longjmp, which Swift cannot catch,
// so each whole decode or encode runs here and returns an error message instead.
#ifndef PHAROS_CJPEGTURBO_H
#define PHAROS_CJPEGTURBO_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int width;
    int height;
    int components;
    int precision;
} pharos_jpeg_info;

/// Colour handling of a three-component stream.
enum {
    /// libjpeg's own choice from the JFIF/Adobe markers and component ids (YCbCr converted to RGB).
    PHAROS_JPEG_COLOR_AUTO = 0,
    /// Samples are RGB unless a JFIF or Adobe marker says otherwise: no YCbCr to RGB conversion.
    PHAROS_JPEG_COLOR_RGB_UNLESS_MARKED = 1
};

/// Decodes a baseline/extended 8-bit stream. On success returns 0 and sets *out (free with pharos_jpeg_free).
/// On failure returns -1 with a message in `error`. `max_bytes` bounds the decoded size.
int pharos_jpeg_decode(const uint8_t *data, size_t size, int color_mode, size_t max_bytes,
                       uint8_t **out, size_t *out_size, pharos_jpeg_info *info, char *error, size_t error_size);

/// Encodes 8-bit grayscale (components 1) or RGB (components 3) pixels as baseline JPEG.
int pharos_jpeg_encode(const uint8_t *pixels, int width, int height, int components, int quality,
                       uint8_t **out, size_t *out_size, char *error, size_t error_size);

void pharos_jpeg_free(void *pointer);

#endif
