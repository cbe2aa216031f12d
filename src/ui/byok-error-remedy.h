/* byok-error-remedy.h — what the UI says about a failed call, and offers
 *
 * One table from a BYOK_ERROR_* code to a title ("The Key Was Rejected"),
 * a short name for a caption ("key rejected") and the remedy a button
 * offers: a page to open, asking again, or asking another model. The
 * answer's row in Chat and a Compare column both read it; each offers the
 * remedies it can (a Compare column has no message to ask again).
 */
#pragma once

#include <glib.h>

#include "byok-error.h"

G_BEGIN_DECLS

typedef enum {
  BYOK_REMEDY_NONE,         /* nothing a button can do */
  BYOK_REMEDY_SHOW_PAGE,    /* open a page of the window (win.show-page) */
  BYOK_REMEDY_RETRY,        /* ask again */
  BYOK_REMEDY_OTHER_MODEL,  /* ask again, another model */
} ByokRemedy;

typedef struct {
  const char *title;        /* translated: "The Key Was Rejected" */
  const char *short_name;   /* translated: "key rejected" */
  ByokRemedy  remedy;
  const char *button;       /* translated, with a mnemonic; NULL for BYOK_REMEDY_NONE */
  const char *page;         /* "providers", "usage" for BYOK_REMEDY_SHOW_PAGE */
} ByokErrorRemedy;

ByokErrorRemedy byok_error_remedy_get            (ByokErrorCode  code);
ByokErrorRemedy byok_error_remedy_get_for_class  (const char    *error_class);

G_END_DECLS
