// setjmp/longjmp error recovery for libjpeg: the one thing in the imaging module that has to be C.
#include "CJPEGTurbo.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
    size_t message_size;
    int truncated;
} pharos_error_mgr;

static void pharos_error_exit(j_common_ptr cinfo) {
    pharos_error_mgr *mgr = (pharos_error_mgr *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    if (mgr->message && mgr->message_size > 0) snprintf(mgr->message, mgr->message_size, "%s", text);
    longjmp(mgr->jump, 1);
}

// Warnings (corrupt data that libjpeg can work around) are not fatal; keep quiet instead of writing to stderr.
static void pharos_output_message(j_common_ptr cinfo) { (void)cinfo; }

// A stream that ends early is decoded by libjpeg as grey padding with a warning: note it, to report an error.
static void pharos_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        cinfo->err->num_warnings++;
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) ((pharos_error_mgr *)cinfo->err)->truncated = 1;
    }
}

static void set_error(char *error, size_t size, const char *text) {
    if (error && size > 0) snprintf(error, size, "%s", text);
}

int pharos_jpeg_decode(const uint8_t *data, size_t size, int color_mode, size_t max_bytes,
                       uint8_t **out, size_t *out_size, pharos_jpeg_info *info, char *error, size_t error_size) {
    struct jpeg_decompress_struct cinfo;
    pharos_error_mgr mgr;
    uint8_t *volatile buffer = NULL;
    *out = NULL;
    *out_size = 0;
    if (size == 0 || size > (size_t)0xFFFFFFFFu) {
        set_error(error, error_size, "empty or oversized JPEG stream");
        return -1;
    }
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&mgr.base);
    mgr.base.error_exit = pharos_error_exit;
    mgr.base.output_message = pharos_output_message;
    mgr.base.emit_message = pharos_emit_message;
    mgr.message = error;
    mgr.message_size = error_size;
    mgr.truncated = 0;
    if (setjmp(mgr.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(buffer);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.num_components == 3 && color_mode == PHAROS_JPEG_COLOR_RGB_UNLESS_MARKED &&
        !cinfo.saw_JFIF_marker && !cinfo.saw_Adobe_marker) {
        cinfo.jpeg_color_space = JCS_RGB;
        cinfo.out_color_space = JCS_RGB;
    } else if (cinfo.num_components == 3) {
        cinfo.out_color_space = JCS_RGB;
    } else if (cinfo.num_components == 1) {
        cinfo.out_color_space = JCS_GRAYSCALE;
    } else {
        set_error(error, error_size, "only 1- and 3-component JPEG streams are supported");
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    jpeg_start_decompress(&cinfo);
    size_t row = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    size_t total = row * (size_t)cinfo.output_height;
    if (total == 0 || total > max_bytes) {
        set_error(error, error_size, "JPEG image dimensions are zero or exceed the decoding limit");
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    buffer = (uint8_t *)malloc(total);
    if (!buffer) {
        set_error(error, error_size, "out of memory decoding JPEG");
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW rows[1] = { buffer + row * cinfo.output_scanline };
        if (jpeg_read_scanlines(&cinfo, rows, 1) != 1) break;
    }
    if (cinfo.output_scanline < cinfo.output_height || mgr.truncated) {
        set_error(error, error_size, "JPEG stream ended before the last scanline");
        jpeg_destroy_decompress(&cinfo);
        free(buffer);
        return -1;
    }
    info->width = (int)cinfo.output_width;
    info->height = (int)cinfo.output_height;
    info->components = cinfo.output_components;
    info->precision = cinfo.data_precision;
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    *out = buffer;
    *out_size = total;
    return 0;
}

int pharos_jpeg_encode(const uint8_t *pixels, int width, int height, int components, int quality,
                       uint8_t **out, size_t *out_size, char *error, size_t error_size) {
    struct jpeg_compress_struct cinfo;
    pharos_error_mgr mgr;
    unsigned char *volatile buffer = NULL;
    unsigned long buffer_size = 0;
    *out = NULL;
    *out_size = 0;
    if (width <= 0 || height <= 0 || width > 65500 || height > 65500 || (components != 1 && components != 3)) {
        set_error(error, error_size, "JPEG encoding needs 1..65500 pixels per side and 1 or 3 components");
        return -1;
    }
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&mgr.base);
    mgr.base.error_exit = pharos_error_exit;
    mgr.base.output_message = pharos_output_message;
    mgr.message = error;
    mgr.message_size = error_size;
    if (setjmp(mgr.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        return -1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, &buffer_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = components;
    cinfo.in_color_space = components == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    size_t row = (size_t)width * (size_t)components;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW rows[1] = { (JSAMPROW)(pixels + row * cinfo.next_scanline) };
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *out_size = buffer_size;
    return 0;
}

void pharos_jpeg_free(void *pointer) { free(pointer); }
