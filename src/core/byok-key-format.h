/* byok-key-format.h — masking API keys, checking what a person pasted, and
 * holding secrets in non-pageable memory.
 *
 * Nothing here touches the keyring: these are pure functions the Providers
 * page, the CLI and ByokKeyStore share. No message produced here ever
 * contains a key: where one needs to point at the key it shows the masked
 * form from byok_key_format_mask().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ByokKeyFormatFlags:
 * @BYOK_KEY_FORMAT_OK: nothing to say.
 * @BYOK_KEY_FORMAT_TRIMMED: notice: spaces, tabs or line breaks around the
 *   key were removed.
 * @BYOK_KEY_FORMAT_UNQUOTED: notice: quotes around the key were removed.
 * @BYOK_KEY_FORMAT_UNPREFIXED: notice: a `NAME=`, `export NAME=` or
 *   `Bearer ` in front of the key was removed.
 * @BYOK_KEY_FORMAT_EMPTY: warning: nothing is left.
 * @BYOK_KEY_FORMAT_INNER_WHITESPACE: warning: spaces or line breaks inside.
 * @BYOK_KEY_FORMAT_BAD_CHARACTERS: warning: characters no key uses
 *   (non-ASCII letters, control characters).
 * @BYOK_KEY_FORMAT_TOO_SHORT: warning: shorter than any real key.
 * @BYOK_KEY_FORMAT_WRONG_PREFIX: warning: does not start with the
 *   provider's prefix.
 * @BYOK_KEY_FORMAT_OTHER_PROVIDER: warning: looks like another known
 *   provider's key (e.g. an Anthropic key given to OpenAI).
 * @BYOK_KEY_FORMAT_BAD_PATTERN: warning: does not have the provider's shape
 *   (Zhipu's `id.secret`).
 * @BYOK_KEY_FORMAT_MASKED_COPY: warning: contains `•`, `…` or `***`: a
 *   masked or shortened copy, not the key.
 *
 * What byok_key_format_check() found. Notices say the input was cleaned and
 * need no confirmation; any other flag is a warning the person should see
 * before the key is saved (see byok_key_format_is_suspicious()).
 */
typedef enum {
  BYOK_KEY_FORMAT_OK               = 0,
  BYOK_KEY_FORMAT_TRIMMED          = 1 << 0,
  BYOK_KEY_FORMAT_UNQUOTED         = 1 << 1,
  BYOK_KEY_FORMAT_UNPREFIXED       = 1 << 2,
  BYOK_KEY_FORMAT_EMPTY            = 1 << 3,
  BYOK_KEY_FORMAT_INNER_WHITESPACE = 1 << 4,
  BYOK_KEY_FORMAT_BAD_CHARACTERS   = 1 << 5,
  BYOK_KEY_FORMAT_TOO_SHORT        = 1 << 6,
  BYOK_KEY_FORMAT_WRONG_PREFIX     = 1 << 7,
  BYOK_KEY_FORMAT_OTHER_PROVIDER   = 1 << 8,
  BYOK_KEY_FORMAT_BAD_PATTERN      = 1 << 9,
  BYOK_KEY_FORMAT_MASKED_COPY      = 1 << 10,
} ByokKeyFormatFlags;

/* The flags that only say the input was cleaned. */
#define BYOK_KEY_FORMAT_NOTICES \
  (BYOK_KEY_FORMAT_TRIMMED | BYOK_KEY_FORMAT_UNQUOTED | BYOK_KEY_FORMAT_UNPREFIXED)

/* The hint_prefix value that asks for Zhipu's two-part key shape. */
#define BYOK_KEY_FORMAT_HINT_ID_SECRET "id.secret"

/* The shortest key that is not flagged BYOK_KEY_FORMAT_TOO_SHORT. */
#define BYOK_KEY_FORMAT_MIN_LENGTH 20

/* What a key a server repeated becomes in a text: no part of it. */
#define BYOK_KEY_FORMAT_REDACTED "\u2022\u2022\u2022\u2022"

char              *byok_key_format_mask           (const char          *key);
char              *byok_key_format_redact         (const char          *text,
                                                   gssize               length,
                                                   const char          *key,
                                                   gsize               *out_length);

ByokKeyFormatFlags byok_key_format_check          (const char          *provider_id,
                                                   const char          *hint_prefix,
                                                   const char          *raw_input,
                                                   char               **cleaned,
                                                   char              ***warnings);

gboolean           byok_key_format_is_suspicious  (ByokKeyFormatFlags   flags);

char              *byok_secret_dup                (const char          *secret,
                                                   gssize               length);
void               byok_secret_free               (char                *secret);

G_END_DECLS
