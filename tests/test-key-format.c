/* test-key-format.c — masking keys and checking what a person pasted */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "byok-key-format.h"
#include "byok-test-util.h"

#define BULLET "\u2022"

/* Fake keys of the real shapes: never real ones. */
#define FAKE_OPENAI    "sk-test-fake-0123456789abcdefghijklmnopqrstuvwx"
#define FAKE_ANTHROPIC "sk-ant-test-fake-0123456789abcdefghijklmnopqrstuvwxyz"
#define FAKE_GEMINI    "AIzaTestFake0123456789abcdefghijklmnopq"
#define FAKE_ZHIPU     "0123456789abcdef0123456789abcdef.TestFakeSecret01"

static guint
count_bullets (const char *s)
{
  guint n = 0;

  for (const char *p = strstr (s, BULLET); p != NULL; p = strstr (p + 1, BULLET))
    n++;
  return n;
}

static void
test_mask_lengths (void)
{
  g_autofree char *m40 = byok_key_format_mask (FAKE_OPENAI);
  g_autofree char *m16 = byok_key_format_mask ("abcdefghijklmnop");
  g_autofree char *m12 = byok_key_format_mask ("abcdefghijkl");
  g_autofree char *m8 = byok_key_format_mask ("abcdefgh");
  g_autofree char *m7 = byok_key_format_mask ("abcdefg");
  g_autofree char *m5 = byok_key_format_mask ("abcde");
  g_autofree char *m0 = byok_key_format_mask ("");
  g_autofree char *mnull = byok_key_format_mask (NULL);
  g_autofree char *bad = byok_key_format_mask ("abc\xff\xfe" "defghijklmnopqrstu");

  g_assert_true (g_str_has_prefix (m40, "sk-t"));
  g_assert_true (g_str_has_suffix (m40, "uvwx"));
  g_assert_cmpuint (count_bullets (m40), ==, 12);   /* capped */

  g_assert_cmpstr (m16, ==, "abcd" BULLET BULLET BULLET BULLET BULLET BULLET BULLET BULLET "mnop");
  g_assert_cmpstr (m12, ==, "ab" BULLET BULLET BULLET BULLET BULLET BULLET BULLET BULLET "kl");
  g_assert_cmpstr (m8, ==, "ab" BULLET BULLET BULLET BULLET "gh");
  g_assert_cmpstr (m7, ==, BULLET BULLET BULLET BULLET BULLET BULLET BULLET);
  g_assert_cmpstr (m5, ==, BULLET BULLET BULLET BULLET BULLET);
  g_assert_cmpstr (m0, ==, "");
  g_assert_cmpstr (mnull, ==, "");
  g_assert_cmpuint (count_bullets (bad), >, 0);
  g_assert_null (strchr (bad, 'a'));
}

/* For every length, at most half of the key is visible, and what is visible
 * is its start and end. */
static void
test_mask_never_more_than_half (void)
{
  const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  for (guint n = 1; n <= 120; n++)
    {
      g_autofree char *key = g_malloc0 (n + 1);
      g_autofree char *masked = NULL;
      GString *visible = g_string_new (NULL);
      g_autofree char *vis = NULL;
      guint bullets;

      for (guint i = 0; i < n; i++)
        key[i] = alphabet[(i * 7 + n) % 64];
      masked = byok_key_format_mask (key);
      bullets = count_bullets (masked);

      for (const char *p = masked; *p != '\0'; p = g_utf8_next_char (p))
        if (g_utf8_get_char (p) != 0x2022)
          g_string_append_unichar (visible, g_utf8_get_char (p));
      vis = g_string_free (visible, FALSE);

      g_assert_cmpuint (strlen (vis) * 2, <=, n);
      g_assert_cmpuint (bullets, >=, 1);
      g_assert_cmpuint (bullets, <=, 12);
      if (n < 8)
        g_assert_cmpuint (strlen (vis), ==, 0);
      else
        {
          gsize k = strlen (vis) / 2;

          g_assert_true (strncmp (masked, key, k) == 0);
          g_assert_true (g_str_has_suffix (masked, key + n - k));
        }
    }
}

/* No warning or notice may contain the key, or any run of it longer than
 * the masked form shows. */
static void
assert_no_key_in (char       **warnings,
                  const char  *key)
{
  for (guint i = 0; warnings[i] != NULL; i++)
    byok_test_assert_no_key ("a warning", warnings[i], -1, key, 4, 5);
}

static gboolean
strv_matches (char       **strv,
              const char  *needle)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (strstr (strv[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_check_clean_key (void)
{
  char *cleaned = NULL;
  g_auto(GStrv) warnings = NULL;
  ByokKeyFormatFlags flags;

  flags = byok_key_format_check ("openai", "sk-", FAKE_OPENAI, &cleaned, &warnings);
  g_assert_cmpint (flags, ==, BYOK_KEY_FORMAT_OK);
  g_assert_false (byok_key_format_is_suspicious (flags));
  g_assert_cmpstr (cleaned, ==, FAKE_OPENAI);
  g_assert_nonnull (warnings);
  g_assert_cmpuint (g_strv_length (warnings), ==, 0);
  byok_secret_free (cleaned);

  /* Out parameters are optional. */
  flags = byok_key_format_check ("anthropic", "sk-ant-", FAKE_ANTHROPIC, NULL, NULL);
  g_assert_cmpint (flags, ==, BYOK_KEY_FORMAT_OK);
  flags = byok_key_format_check ("gemini", "AIza", FAKE_GEMINI, NULL, NULL);
  g_assert_cmpint (flags, ==, BYOK_KEY_FORMAT_OK);
}

typedef struct {
  const char *raw;
  ByokKeyFormatFlags flags;
  const char *notice;     /* a piece of the expected notice */
} TrimCase;

static void
test_check_trims (void)
{
  static const TrimCase cases[] = {
    { "  " FAKE_OPENAI "  ", BYOK_KEY_FORMAT_TRIMMED, "spaces" },
    { FAKE_OPENAI "\n", BYOK_KEY_FORMAT_TRIMMED, "line breaks" },
    { "\r\n\t" FAKE_OPENAI "\r\n", BYOK_KEY_FORMAT_TRIMMED, "line breaks" },
    { "\u00A0" FAKE_OPENAI "\u200B", BYOK_KEY_FORMAT_TRIMMED, "spaces" },
    { "\"" FAKE_OPENAI "\"", BYOK_KEY_FORMAT_UNQUOTED, "quotes" },
    { "'" FAKE_OPENAI "'", BYOK_KEY_FORMAT_UNQUOTED, "quotes" },
    { "\u201C" FAKE_OPENAI "\u201D", BYOK_KEY_FORMAT_UNQUOTED, "quotes" },
    { " \"" FAKE_OPENAI "\" \n", BYOK_KEY_FORMAT_TRIMMED | BYOK_KEY_FORMAT_UNQUOTED, "quotes" },
    { "Bearer " FAKE_OPENAI, BYOK_KEY_FORMAT_UNPREFIXED, "Bearer" },
    { "OPENAI_API_KEY=" FAKE_OPENAI, BYOK_KEY_FORMAT_UNPREFIXED, "“OPENAI_API_KEY=”" },
    { "export OPENAI_API_KEY=\"" FAKE_OPENAI "\"\n",
      BYOK_KEY_FORMAT_TRIMMED | BYOK_KEY_FORMAT_UNQUOTED | BYOK_KEY_FORMAT_UNPREFIXED,
      "“OPENAI_API_KEY=”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *cleaned = NULL;
      g_auto(GStrv) warnings = NULL;
      ByokKeyFormatFlags flags;

      g_test_message ("case %u", i);
      flags = byok_key_format_check ("openai", "sk-", cases[i].raw, &cleaned, &warnings);
      g_assert_cmpint (flags, ==, cases[i].flags);
      g_assert_false (byok_key_format_is_suspicious (flags));
      g_assert_cmpstr (cleaned, ==, FAKE_OPENAI);
      g_assert_cmpuint (g_strv_length (warnings), >=, 1);
      g_assert_true (strv_matches (warnings, cases[i].notice));
      assert_no_key_in (warnings, FAKE_OPENAI);
      byok_secret_free (cleaned);
    }

  /* A base64 key's "=" padding is part of the key, not an assignment. */
  {
    const char *padded = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123==";
    char *cleaned = NULL;
    ByokKeyFormatFlags flags;

    flags = byok_key_format_check ("custom", NULL, padded, &cleaned, NULL);
    g_assert_cmpint (flags, ==, BYOK_KEY_FORMAT_OK);
    g_assert_cmpstr (cleaned, ==, padded);
    byok_secret_free (cleaned);
  }
}

typedef struct {
  const char *provider;
  const char *hint;
  const char *raw;
  ByokKeyFormatFlags flag;
  const char *says;       /* a piece of the expected warning, or NULL */
} WarnCase;

static void
test_check_warnings (void)
{
  static const WarnCase cases[] = {
    /* A Gemini key for a provider whose keys start with sk-. */
    { "my-proxy", "sk-", FAKE_GEMINI, BYOK_KEY_FORMAT_WRONG_PREFIX, "“sk-”" },
    { "deepseek", "sk-", "xx-test-fake-0123456789abcdefghijkl", BYOK_KEY_FORMAT_WRONG_PREFIX, "xx-t" },
    /* Another provider's key. */
    { "openai", "sk-", FAKE_ANTHROPIC, BYOK_KEY_FORMAT_OTHER_PROVIDER, "Anthropic" },
    { "openai", "sk-", FAKE_GEMINI, BYOK_KEY_FORMAT_OTHER_PROVIDER, "Google Gemini" },
    { "anthropic", "sk-ant-", FAKE_OPENAI, BYOK_KEY_FORMAT_WRONG_PREFIX, "“sk-ant-”" },
    { "openai", "sk-", FAKE_ZHIPU, BYOK_KEY_FORMAT_OTHER_PROVIDER, "Zhipu" },
    { "deepseek", "sk-", "sk-or-v1-test-fake-0123456789abcdef", BYOK_KEY_FORMAT_OTHER_PROVIDER, "OpenRouter" },
    /* Zhipu's two parts. */
    { "zhipu", BYOK_KEY_FORMAT_HINT_ID_SECRET, FAKE_OPENAI, BYOK_KEY_FORMAT_BAD_PATTERN, "id.secret" },
    { "zhipu", NULL, "0123456789abcdef0123456789abcdef", BYOK_KEY_FORMAT_BAD_PATTERN, "id.secret" },
    /* The shape of the string itself. */
    { "openai", "sk-", "sk-test-fake 0123456789 abcdefghij", BYOK_KEY_FORMAT_INNER_WHITESPACE, "inside" },
    { "openai", "sk-", "sk-test-fake-0123\n456789abcdefghij", BYOK_KEY_FORMAT_INNER_WHITESPACE, "inside" },
    { "openai", "sk-", "sk-short", BYOK_KEY_FORMAT_TOO_SHORT, "8 characters" },
    { "openai", "sk-", "sk-t" BULLET BULLET BULLET BULLET "uvwx", BYOK_KEY_FORMAT_MASKED_COPY, "masked" },
    { "openai", "sk-", "sk-test-fake-0123456789\u00E9abcdefghij", BYOK_KEY_FORMAT_BAD_CHARACTERS, "characters" },
    { "openai", "sk-", "  \n\t ", BYOK_KEY_FORMAT_EMPTY, "empty" },
    { "openai", "sk-", NULL, BYOK_KEY_FORMAT_EMPTY, "empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *cleaned = NULL;
      g_auto(GStrv) warnings = NULL;
      ByokKeyFormatFlags flags;

      g_test_message ("case %u", i);
      flags = byok_key_format_check (cases[i].provider, cases[i].hint, cases[i].raw, &cleaned, &warnings);
      g_assert_cmpint (flags & cases[i].flag, ==, cases[i].flag);
      g_assert_true (byok_key_format_is_suspicious (flags));
      g_assert_nonnull (cleaned);
      if (cases[i].says != NULL)
        g_assert_true (strv_matches (warnings, cases[i].says));
      /* (A masked copy is made of bullets, which the warning quotes.) */
      if (cases[i].flag != BYOK_KEY_FORMAT_MASKED_COPY)
        {
          assert_no_key_in (warnings, cleaned);
          if (cases[i].raw != NULL)
            assert_no_key_in (warnings, cases[i].raw);
        }
      byok_secret_free (cleaned);
    }
}

static void
test_check_accepts_right_keys (void)
{
  /* Zhipu's id.secret, with the hint or by provider id. */
  g_assert_cmpint (byok_key_format_check ("zhipu", BYOK_KEY_FORMAT_HINT_ID_SECRET, FAKE_ZHIPU, NULL, NULL),
                   ==, BYOK_KEY_FORMAT_OK);
  g_assert_cmpint (byok_key_format_check ("zhipu", NULL, FAKE_ZHIPU, NULL, NULL), ==, BYOK_KEY_FORMAT_OK);
  /* A custom provider is never told a key is someone else's. */
  g_assert_cmpint (byok_key_format_check ("my-gateway", NULL, FAKE_ANTHROPIC, NULL, NULL), ==, BYOK_KEY_FORMAT_OK);
  /* A hint that is itself another provider's prefix (a proxy of theirs). */
  g_assert_cmpint (byok_key_format_check ("openrouter", "sk-or-", "sk-or-v1-test-fake-0123456789abcdef", NULL, NULL),
                   ==, BYOK_KEY_FORMAT_OK);
  /* OpenAI's own project keys are OpenAI keys. */
  g_assert_cmpint (byok_key_format_check ("openai", "sk-", "sk-proj-test-fake-0123456789abcdef", NULL, NULL),
                   ==, BYOK_KEY_FORMAT_OK);
  /* No hint, a long key: nothing to say. */
  g_assert_cmpint (byok_key_format_check ("mistral", NULL, "TestFake0123456789abcdefghijklmn", NULL, NULL),
                   ==, BYOK_KEY_FORMAT_OK);
}

/* Every copy of the key a server sends back goes, whatever form it takes;
 * nothing else changes. */
static void
test_redact (void)
{
  struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "Incorrect API key provided: my/test+fake=key.", "Incorrect API key provided: ••••." },
    { "Bearer my/test+fake=key and again my/test+fake=key", "Bearer •••• and again ••••" },
    { "{\"message\": \"bad key my\\/test+fake=key\"}", "{\"message\": \"bad key ••••\"}" },
    { "https://example.invalid/?key=my%2Ftest%2Bfake%3Dkey&x=1", "https://example.invalid/?key=••••&x=1" },
    { "my/test+fake=ke", "my/test+fake=ke" },
    { "", "" },
  };
  gsize len;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = byok_key_format_redact (cases[i].text, -1, "my/test+fake=key", &len);

      g_assert_cmpstr (redacted, ==, cases[i].expected);
      g_assert_cmpuint (len, ==, strlen (cases[i].expected));
    }

  /* A body that is not NUL-terminated, with a NUL inside. */
  {
    const char body[] = { 'k', 'e', 'y', '\0', 't', 'e', 's', 't', 'k', 'e', 'y', '!' };
    g_autofree char *redacted = byok_key_format_redact (body, sizeof body - 1, "testkey", &len);

    g_assert_cmpuint (len, ==, 4 + strlen (BYOK_KEY_FORMAT_REDACTED));
    g_assert_cmpmem (redacted, len, "key\0" BYOK_KEY_FORMAT_REDACTED, len);
  }

  {
    g_autofree char *no_key = byok_key_format_redact ("same text", -1, NULL, NULL);
    g_autofree char *empty_key = byok_key_format_redact ("same text", -1, "", NULL);

    g_assert_cmpstr (no_key, ==, "same text");
    g_assert_cmpstr (empty_key, ==, "same text");
    g_assert_null (byok_key_format_redact (NULL, -1, "testkey", NULL));
  }
}

static void
test_secret_memory (void)
{
  char *copy = byok_secret_dup ("sk-test-fake-secret-memory", -1);
  char *part = byok_secret_dup ("sk-test-fake-secret-memory", 7);

  g_assert_cmpstr (copy, ==, "sk-test-fake-secret-memory");
  g_assert_cmpstr (part, ==, "sk-test");
  g_assert_null (byok_secret_dup (NULL, -1));
  byok_secret_free (copy);
  byok_secret_free (part);
  byok_secret_free (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/key-format/mask/lengths", test_mask_lengths);
  g_test_add_func ("/key-format/mask/never-more-than-half", test_mask_never_more_than_half);
  g_test_add_func ("/key-format/check/clean", test_check_clean_key);
  g_test_add_func ("/key-format/check/trims", test_check_trims);
  g_test_add_func ("/key-format/check/warnings", test_check_warnings);
  g_test_add_func ("/key-format/check/accepts", test_check_accepts_right_keys);
  g_test_add_func ("/key-format/redact", test_redact);
  g_test_add_func ("/key-format/secret-memory", test_secret_memory);
  return g_test_run ();
}
