/* byok-dialect-openai-private.h — the OpenAI dialect's fast chunk scanner
 *
 * Shared by byok-dialect-openai.c (which reads a chunk with it) and
 * byok-dialect-openai-scan.c (the scanner).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Nearly every event of an OpenAI-style stream is a small chunk of one
 * shape — {"id", "object", "created", "model", "choices": [{"index": 0,
 * "delta": {"content": "…"}, "finish_reason": null}]} — and a long answer
 * is tens of thousands of them. json-glib builds a tree of hash tables for
 * each one to read four members; this scanner reads those members in one
 * pass over the text and builds nothing.
 *
 * It gives up — and the event is parsed with json-glib, as every event is
 * without it — at anything it does not read exactly as that path does:
 * usage, an error member, content parts, a member of interest given twice,
 * tool calls, an escaped key, "\u0000" or a lone surrogate, nesting deeper than
 * FAST_MAX_DEPTH, or anything that is not strict JSON. The test-dialects
 * tests and the fuzz-dialect-openai target compare the two paths. */

typedef struct {
  const char *start;     /* the bytes between the quotes, still escaped */
  gsize       len;
  gboolean    escaped;   /* holds backslash escapes, all of them valid */
  gboolean    present;   /* a string was there: not null, not missing */
} Slice;

typedef struct {
  Slice id;
  Slice model;
  Slice content;
  Slice reasoning_content;
  Slice reasoning;
  Slice finish_reason;
} FastChunk;

gboolean _byok_openai_fast_scan_chunk (const char  *data,
                                       FastChunk   *chunk);
void     _byok_openai_append_slice    (GString     *out,
                                       const Slice *slice);
gboolean _byok_openai_slice_equal     (const Slice *slice,
                                       const char  *str);

G_END_DECLS
