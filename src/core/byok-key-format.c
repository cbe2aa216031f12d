/* byok-key-format.c — masking API keys and checking what a person pasted */
#define G_LOG_DOMAIN "byok-keys"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "byok-key-format.h"

#define BULLET "\u2022"
/* A long key shows at most this many bullets: the masked form identifies a
 * key, it does not need to show how long it is. */
#define MASK_MAX_BULLETS 12

/**
 * byok_secret_dup:
 * @secret: (nullable): the secret
 * @length: its length in bytes, or -1 when NUL-terminated
 *
 * Copies @secret into non-pageable memory (libsecret's secure allocator,
 * which falls back to ordinary memory where locking is not allowed).
 *
 * Returns: (transfer full) (nullable): the copy, NUL-terminated; free it with
 *   byok_secret_free(), which wipes it first.
 */
char *
byok_secret_dup (const char *secret,
                 gssize      length)
{
  if (secret == NULL)
    return NULL;
  if (length < 0)
    length = strlen (secret);
  return secret_value_unref_to_password (secret_value_new (secret, length, "text/plain"), NULL);
}

/**
 * byok_secret_free:
 * @secret: (nullable): a secret from byok_secret_dup(), byok_key_format_check()
 *   or libsecret
 *
 * Wipes @secret and frees it (secret_password_free()).
 */
void
byok_secret_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

/**
 * byok_key_format_mask:
 * @key: (nullable): an API key
 *
 * The form of a key that may be shown: the first and last characters with
 * bullets between. Never more than half of the key is visible:
 *
 * - 16 characters or more: first 4 + bullets + last 4;
 * - 8 to 15 characters: first 2 + bullets + last 2;
 * - fewer than 8 (or not valid UTF-8): only bullets.
 *
 * There is one bullet per hidden character, at most 12.
 *
 * Returns: (transfer full): the masked form ("" for %NULL or "").
 */
char *
byok_key_format_mask (const char *key)
{
  GString *out;
  glong n;
  glong k;
  glong hidden;

  if (key == NULL || *key == '\0')
    return g_strdup ("");

  if (g_utf8_validate (key, -1, NULL))
    {
      n = g_utf8_strlen (key, -1);
      k = n >= 16 ? 4 : n >= 8 ? 2 : 0;
    }
  else
    {
      n = strlen (key);
      k = 0;
    }

  hidden = n - 2 * k;
  out = g_string_new (NULL);
  if (k > 0)
    g_string_append_len (out, key, g_utf8_offset_to_pointer (key, k) - key);
  for (glong i = 0; i < MIN (hidden, MASK_MAX_BULLETS); i++)
    g_string_append (out, BULLET);
  if (k > 0)
    g_string_append (out, g_utf8_offset_to_pointer (key, n - k));
  return g_string_free (out, FALSE);
}

/* A copy of @key a server may send back: as it is, percent-encoded (a URL
 * in an error), or with "/" escaped as some JSON encoders do. */
static GPtrArray *
key_forms (const char *key)
{
  GPtrArray *forms = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_secret_free);
  g_autofree char *escaped = g_uri_escape_string (key, NULL, FALSE);

  g_ptr_array_add (forms, byok_secret_dup (key, -1));
  if (strcmp (escaped, key) != 0)
    g_ptr_array_add (forms, byok_secret_dup (escaped, -1));
  if (strchr (key, '/') != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (key, "/", -1);
      g_autofree char *json = g_strjoinv ("\\/", parts);

      g_ptr_array_add (forms, byok_secret_dup (json, -1));
      for (guint i = 0; parts[i] != NULL; i++)
        memset (parts[i], 0, strlen (parts[i]));
      memset (json, 0, strlen (json));
    }
  memset (escaped, 0, strlen (escaped));
  return forms;
}

/**
 * byok_key_format_redact:
 * @text: (nullable) (array length=length): text from a server: an error
 *   message, a response body
 * @length: its length in bytes, or -1 when NUL-terminated
 * @key: (nullable): the key that was sent with the request
 * @out_length: (out) (optional): the length of the result in bytes
 *
 * Replaces every copy of @key in @text — as it is, percent-encoded, or with
 * its slashes escaped as JSON may — by %BYOK_KEY_FORMAT_REDACTED, so that
 * a server that repeats the key ("Incorrect API key provided: …",
 * "Bearer …") cannot get it into a message, a log or the database. Unlike
 * masking by shape, this finds a key of any form, and leaves no part of it.
 *
 * Returns: (transfer full) (nullable): the text without the key,
 *   NUL-terminated (%NULL when @text is %NULL)
 */
char *
byok_key_format_redact (const char *text,
                        gssize      length,
                        const char *key,
                        gsize      *out_length)
{
  g_autoptr(GPtrArray) forms = NULL;
  GString *out;
  gsize len;
  gsize i = 0;

  if (text == NULL)
    {
      if (out_length != NULL)
        *out_length = 0;
      return NULL;
    }
  len = length < 0 ? strlen (text) : (gsize) length;
  if (key == NULL || *key == '\0')
    {
      if (out_length != NULL)
        *out_length = len;
      return g_strndup (text, len);
    }

  forms = key_forms (key);
  out = g_string_sized_new (len);
  while (i < len)
    {
      gboolean found = FALSE;

      for (guint f = 0; f < forms->len && !found; f++)
        {
          const char *form = g_ptr_array_index (forms, f);
          gsize form_len = strlen (form);

          if (form_len <= len - i && memcmp (text + i, form, form_len) == 0)
            {
              g_string_append (out, BYOK_KEY_FORMAT_REDACTED);
              i += form_len;
              found = TRUE;
            }
        }
      if (!found)
        g_string_append_c (out, text[i++]);
    }
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* Characters a paste can carry around a key: whitespace, and the invisible
 * ones word processors and web pages add. */
static gboolean
is_space_char (gunichar c)
{
  return g_unichar_isspace (c) ||
         c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF;
}

static gboolean
is_quote_char (gunichar c)
{
  switch (c)
    {
    case '"': case '\'': case '`':
    case 0x00AB: case 0x00BB:                 /* « » */
    case 0x2018: case 0x2019: case 0x201A:    /* ‘ ’ ‚ */
    case 0x201C: case 0x201D: case 0x201E:    /* “ ” „ */
    case 0x2039: case 0x203A:                 /* ‹ › */
    case 0x300C: case 0x300D:                 /* 「 」 */
      return TRUE;
    default:
      return FALSE;
    }
}

/* The character at @p, or (gunichar) -1 when the bytes are not UTF-8. */
static gunichar
char_at (const char *p,
         const char *end)
{
  gunichar c = g_utf8_get_char_validated (p, end - p);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    return (gunichar) -1;
  return c;
}

static const char *
next_char (const char *p,
           const char *end)
{
  gunichar c = char_at (p, end);

  if (c == (gunichar) -1)
    return p + 1;
  return p + g_unichar_to_utf8 (c, NULL);
}

/* The start of the last character before @end; an invalid byte counts as one. */
static const char *
prev_char (const char *start,
           const char *end)
{
  const char *p = g_utf8_find_prev_char (start, end);

  if (p == NULL)
    return end - 1;
  if (char_at (p, end) == (gunichar) -1 || next_char (p, end) != end)
    return end - 1;
  return p;
}

/* "NAME=" or "export NAME=" in front of the key (a line from a .env file or a
 * shell profile). Sets @name_end to the end of NAME and returns the start of
 * the value, or NULL. A base64 key's "=" padding is never taken for this:
 * the value must not start with "=" and must not be empty. */
static const char *
skip_assignment (const char  *s,
                 const char  *e,
                 const char **name_start,
                 const char **name_end)
{
  const char *p = s;

  if (e - p > 7 && strncmp (p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t'))
    {
      p += 6;
      while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    }

  if (p >= e || !(g_ascii_isalpha (*p) || *p == '_'))
    return NULL;
  *name_start = p;
  while (p < e && (g_ascii_isalnum (*p) || *p == '_'))
    p++;
  *name_end = p;
  while (p < e && (*p == ' ' || *p == '\t'))
    p++;
  if (p >= e || *p != '=')
    return NULL;
  p++;
  while (p < e && (*p == ' ' || *p == '\t'))
    p++;
  if (p >= e || *p == '=')
    return NULL;
  return p;
}

/* Whether NAME looks like an environment variable (and so is safe to echo):
 * upper case, digits and underscores, and not something a key could be. */
static gboolean
looks_like_variable_name (const char *start,
                          const char *end)
{
  if (end - start < 3 || end - start > 64)
    return FALSE;
  for (const char *p = start; p < end; p++)
    if (!(g_ascii_isupper (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

static gboolean
is_id_secret (const char *key,
              gboolean    strict)
{
  const char *dot = strchr (key, '.');
  gsize id_len;
  gsize secret_len;

  if (dot == NULL || dot == key || dot[1] == '\0' || strchr (dot + 1, '.') != NULL)
    return FALSE;

  id_len = dot - key;
  secret_len = strlen (dot + 1);
  for (const char *p = key; p < dot; p++)
    {
      if (strict ? !g_ascii_isxdigit (*p) || g_ascii_isupper (*p) : !g_ascii_isalnum (*p))
        return FALSE;
    }
  for (const char *p = dot + 1; *p != '\0'; p++)
    {
      if (!(g_ascii_isalnum (*p) || (!strict && (*p == '_' || *p == '-'))))
        return FALSE;
    }
  if (strict)
    return id_len == 32 && secret_len == 16;
  return TRUE;
}

/* Providers whose keys can be told apart by how they start. Longest
 * prefixes first; owner is the provider id the key belongs to. */
typedef struct {
  const char *prefix;
  const char *owner;
  const char *name;     /* brand name: not translated */
} KnownPrefix;

static const KnownPrefix known_prefixes[] = {
  { "sk-svcacct-", "openai",     "OpenAI" },
  { "sk-admin-",   "openai",     "OpenAI" },
  { "sk-proj-",    "openai",     "OpenAI" },
  { "sk-ant-",     "anthropic",  "Anthropic" },
  { "sk-or-",      "openrouter", "OpenRouter" },
  { "gsk_",        "groq",       "Groq" },
  { "xai-",        "xai",        "xAI" },
  { "AIza",        "gemini",     "Google Gemini" },
};

/* The providers shipped in the catalog: only for these do we say "this is
 * another provider's key" (a custom provider may well be a proxy that takes
 * OpenRouter's or Anthropic's keys). */
static const char * const builtin_providers[] = {
  "openai", "anthropic", "gemini", "azure", "deepseek", "moonshot", "zhipu",
  "openrouter", "groq", "mistral", "xai", "ollama",
};

static gboolean
is_builtin_provider (const char *provider_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtin_providers); i++)
    if (g_strcmp0 (provider_id, builtin_providers[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The name of the provider @key seems to belong to, when that is not
 * @provider_id; NULL when it looks like no one else's. */
static const char *
other_provider_name (const char *provider_id,
                     const char *hint_prefix,
                     const char *key,
                     const char **prefix)
{
  if (!is_builtin_provider (provider_id))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (known_prefixes); i++)
    {
      const KnownPrefix *k = &known_prefixes[i];

      if (!g_str_has_prefix (key, k->prefix))
        continue;
      /* The first (longest) match decides. */
      if (g_strcmp0 (provider_id, k->owner) == 0 ||
          (hint_prefix != NULL && g_str_has_prefix (hint_prefix, k->prefix)))
        return NULL;
      *prefix = k->prefix;
      return k->name;
    }

  if (g_strcmp0 (provider_id, "zhipu") != 0 && is_id_secret (key, TRUE))
    {
      *prefix = BYOK_KEY_FORMAT_HINT_ID_SECRET;
      return "Zhipu";
    }
  return NULL;
}

/**
 * byok_key_format_check:
 * @provider_id: (nullable): the provider the key is for ("openai", …)
 * @hint_prefix: (nullable): what the catalog says its keys look like: a
 *   literal prefix ("sk-", "sk-ant-", "AIza") or
 *   %BYOK_KEY_FORMAT_HINT_ID_SECRET for Zhipu's two-part keys; %NULL or ""
 *   when the provider has no fixed shape (Zhipu's shape is checked for
 *   provider "zhipu" even then)
 * @raw_input: (nullable): what the person pasted or typed
 * @cleaned: (out) (optional) (transfer full): the key with surrounding
 *   whitespace, line breaks, quotes, `NAME=`/`export NAME=` and `Bearer `
 *   removed, in non-pageable memory: free it with byok_secret_free(). Inner
 *   characters are never changed.
 * @warnings: (out) (optional) (transfer full) (array zero-terminated=1):
 *   translated sentences to show: notices first ("Removed the quotes…"),
 *   then warnings. Empty, never %NULL, when all is well. None contains the
 *   key; where one points at it, it uses the masked form.
 *
 * Cleans a pasted key and says what looks wrong with it, before it is saved.
 * A warning does not forbid saving: keys change shape now and then, so the
 * person decides.
 *
 * Returns: what was found; see byok_key_format_is_suspicious().
 */
ByokKeyFormatFlags
byok_key_format_check (const char   *provider_id,
                       const char   *hint_prefix,
                       const char   *raw_input,
                       char        **cleaned,
                       char       ***warnings)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) warns = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *masked = NULL;
  g_autofree char *assignment_name = NULL;
  ByokKeyFormatFlags flags = BYOK_KEY_FORMAT_OK;
  const char *s = raw_input != NULL ? raw_input : "";
  const char *e = s + strlen (s);
  const char *other_prefix = NULL;
  const char *other_name;
  gboolean changed;
  gboolean bearer = FALSE;
  gboolean valid_utf8;
  gboolean inner_space = FALSE;
  gboolean bad_chars = FALSE;
  char *key;
  glong n_chars;

  if (hint_prefix != NULL && *hint_prefix == '\0')
    hint_prefix = NULL;

  /* Peel what a copy and paste carries around a key, until nothing changes:
   * `  export OPENAI_API_KEY="sk-…"\n` takes four rounds. */
  do
    {
      const char *value;
      const char *name_start = NULL;
      const char *name_end = NULL;

      changed = FALSE;
      while (s < e && is_space_char (char_at (s, e)))
        {
          s = next_char (s, e);
          flags |= BYOK_KEY_FORMAT_TRIMMED;
          changed = TRUE;
        }
      while (e > s)
        {
          const char *p = prev_char (s, e);

          if (!is_space_char (char_at (p, e)))
            break;
          e = p;
          flags |= BYOK_KEY_FORMAT_TRIMMED;
          changed = TRUE;
        }
      if (s < e && is_quote_char (char_at (s, e)))
        {
          s = next_char (s, e);
          flags |= BYOK_KEY_FORMAT_UNQUOTED;
          changed = TRUE;
        }
      if (e > s && is_quote_char (char_at (prev_char (s, e), e)))
        {
          e = prev_char (s, e);
          flags |= BYOK_KEY_FORMAT_UNQUOTED;
          changed = TRUE;
        }
      if (s < e && (value = skip_assignment (s, e, &name_start, &name_end)) != NULL)
        {
          if (assignment_name == NULL && looks_like_variable_name (name_start, name_end))
            assignment_name = g_strndup (name_start, name_end - name_start);
          s = value;
          flags |= BYOK_KEY_FORMAT_UNPREFIXED;
          changed = TRUE;
        }
      if (e - s > 7 && g_ascii_strncasecmp (s, "bearer", 6) == 0 && (s[6] == ' ' || s[6] == '\t'))
        {
          s += 7;
          bearer = TRUE;
          flags |= BYOK_KEY_FORMAT_UNPREFIXED;
          changed = TRUE;
        }
    }
  while (changed && s < e);

  key = byok_secret_dup (s, e - s);

  if (flags & BYOK_KEY_FORMAT_TRIMMED)
    g_ptr_array_add (notes, g_strdup (_("Removed spaces or line breaks around the key.")));
  if (flags & BYOK_KEY_FORMAT_UNQUOTED)
    g_ptr_array_add (notes, g_strdup (_("Removed the quotes around the key.")));
  if (bearer)
    g_ptr_array_add (notes, g_strdup (_("Removed “Bearer” in front of the key.")));
  if (assignment_name != NULL)
    /* Translators: %s is an environment variable name, e.g. OPENAI_API_KEY */
    g_ptr_array_add (notes, g_strdup_printf (_("Removed “%s=” in front of the key."), assignment_name));
  else if ((flags & BYOK_KEY_FORMAT_UNPREFIXED) && !bearer)
    g_ptr_array_add (notes, g_strdup (_("Removed a variable name in front of the key.")));

  if (*key == '\0')
    {
      flags |= BYOK_KEY_FORMAT_EMPTY;
      g_ptr_array_add (warns, g_strdup (_("The key is empty. Paste the whole key.")));
      goto out;
    }

  masked = byok_key_format_mask (key);
  valid_utf8 = g_utf8_validate (key, -1, NULL);
  n_chars = valid_utf8 ? g_utf8_strlen (key, -1) : (glong) strlen (key);

  if (strstr (key, "\u2022") != NULL || strstr (key, "\u25CF") != NULL ||
      strstr (key, "\u2026") != NULL || strstr (key, "***") != NULL)
    {
      flags |= BYOK_KEY_FORMAT_MASKED_COPY;
      g_ptr_array_add (warns, g_strdup (_("The key contains “•”, “…” or “***”: it looks like a masked or shortened copy. Copy the whole key from the provider’s website.")));
    }

  {
    const char *end = key + strlen (key);

    for (const char *p = key; p < end; p = next_char (p, end))
      {
        gunichar c = char_at (p, end);

        if (c == (gunichar) -1)
          bad_chars = TRUE;
        else if (is_space_char (c))
          inner_space = TRUE;
        else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c != 0x2022 && c != 0x25CF && c != 0x2026))
          bad_chars = TRUE;
      }
  }
  if (inner_space)
    {
      flags |= BYOK_KEY_FORMAT_INNER_WHITESPACE;
      g_ptr_array_add (warns, g_strdup (_("The key has spaces or line breaks inside it. A key is one unbroken string: check that it was copied whole, and only once.")));
    }
  if (bad_chars)
    {
      flags |= BYOK_KEY_FORMAT_BAD_CHARACTERS;
      g_ptr_array_add (warns, g_strdup (_("The key contains characters API keys do not use, such as accented letters, symbols or control characters. Check that you pasted the key and nothing else.")));
    }
  if (n_chars < BYOK_KEY_FORMAT_MIN_LENGTH && !(flags & BYOK_KEY_FORMAT_MASKED_COPY))
    {
      flags |= BYOK_KEY_FORMAT_TOO_SHORT;
      g_ptr_array_add (warns, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "The key is only %u character long; API keys are much longer. Check that it was copied whole.",
                                                             "The key is only %u characters long; API keys are much longer. Check that it was copied whole.",
                                                             n_chars),
                                               (guint) n_chars));
    }

  other_name = other_provider_name (provider_id, hint_prefix, key, &other_prefix);
  if (other_name != NULL)
    {
      flags |= BYOK_KEY_FORMAT_OTHER_PROVIDER;
      /* Translators: the first %s is a provider (e.g. Anthropic), the second
       * the masked key, e.g. sk-a••••••••wxyz */
      g_ptr_array_add (warns, g_strdup_printf (_("This looks like a key for %s (%s), not for this provider. Check that you are adding it to the right provider."),
                                               other_name, masked));
    }
  else if (g_strcmp0 (hint_prefix, BYOK_KEY_FORMAT_HINT_ID_SECRET) == 0 ||
           (hint_prefix == NULL && g_strcmp0 (provider_id, "zhipu") == 0))
    {
      if (!is_id_secret (key, FALSE))
        {
          flags |= BYOK_KEY_FORMAT_BAD_PATTERN;
          /* Translators: %s is the masked key, e.g. 1a2b••••••••wxyz */
          g_ptr_array_add (warns, g_strdup_printf (_("Keys for this provider have two parts joined by a dot (id.secret), but this one (%s) does not. Copy the whole key."),
                                                   masked));
        }
    }
  else if (hint_prefix != NULL && !g_str_has_prefix (key, hint_prefix))
    {
      flags |= BYOK_KEY_FORMAT_WRONG_PREFIX;
      /* Translators: the first %s is a prefix such as “sk-”, the second the
       * masked key, e.g. AIza••••••••wxyz */
      g_ptr_array_add (warns, g_strdup_printf (_("Keys for this provider start with “%s”, but this one (%s) does not. Check that it is the right key."),
                                               hint_prefix, masked));
    }

out:
  if (cleaned != NULL)
    *cleaned = key;
  else
    byok_secret_free (key);

  if (warnings != NULL)
    {
      g_ptr_array_extend_and_steal (notes, g_steal_pointer (&warns));
      g_ptr_array_add (notes, NULL);
      *warnings = (char **) g_ptr_array_free (g_steal_pointer (&notes), FALSE);
    }

  return flags;
}

/**
 * byok_key_format_is_suspicious:
 * @flags: what byok_key_format_check() returned
 *
 * Returns: %TRUE when @flags hold a warning (not just a notice that the
 *   input was cleaned): ask the person before saving.
 */
gboolean
byok_key_format_is_suspicious (ByokKeyFormatFlags flags)
{
  return (flags & ~BYOK_KEY_FORMAT_NOTICES) != 0;
}
