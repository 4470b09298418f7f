/* fuzz-result.c: libFuzzer target for the reply parser and the serialiser
 *
 * Any input either parses or fails with IMGSCAN_RESULT_ERROR_INVALID; a parsed
 * result serialises, reparses, and serialises again to the same bytes (compact and
 * pretty). Criticals and warnings are fatal, so API misuse counts as a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imgscan-match.h"
#include "imgscan-result.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* GLib ends a fatal log with a breakpoint trap, which libFuzzer does not catch:
 * turn it into an abort so the input is saved as a crash. */
static void
on_trap (int signum)
{
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  signal (SIGTRAP, on_trap);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
touch_models (ImgscanResult *result)
{
  GListModel *models[] = {
    imgscan_result_get_matches (result),
    imgscan_result_get_full_matches (result),
    imgscan_result_get_partial_matches (result),
    imgscan_result_get_other_matches (result),
  };
  guint total = 0;

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      guint n = g_list_model_get_n_items (models[m]);

      g_assert_null (g_list_model_get_item (models[m], n));
      if (m > 0)
        total += n;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(ImgscanMatch) match = g_list_model_get_item (models[m], i);
          const char * const *pages = imgscan_match_get_pages (match);

          g_assert_nonnull (imgscan_match_get_domain (match));
          imgscan_uri_is_web (imgscan_match_get_url (match));
          g_assert_cmpuint (g_strv_length ((char **) pages), ==, imgscan_match_get_n_pages (match));
          for (guint j = 0; pages[j] != NULL; j++)
            imgscan_uri_is_web (pages[j]);
        }
    }

  g_assert_cmpuint (total, ==, g_list_model_get_n_items (models[0]));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ImgscanResult) result = NULL;

  if (size > G_MAXSSIZE)
    return 0;

  result = imgscan_result_new_from_data ((const char *) data, (gssize) size, &error);
  if (result == NULL)
    {
      g_assert_error (error, IMGSCAN_RESULT_ERROR, IMGSCAN_RESULT_ERROR_INVALID);
      return 0;
    }
  g_assert_no_error (error);

  touch_models (result);

  for (int pretty = 0; pretty <= 1; pretty++)
    {
      g_autoptr(ImgscanResult) again = NULL;
      g_autoptr(GError) again_error = NULL;
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      gsize first_length = 0;
      gsize second_length = 0;

      first = imgscan_result_to_json (result, pretty, &first_length);
      again = imgscan_result_new_from_data (first, first_length, &again_error);
      if (again == NULL)
        g_error ("our own output does not parse: %s\n%s", again_error->message, first);

      second = imgscan_result_to_json (again, pretty, &second_length);
      g_assert_cmpuint (first_length, ==, second_length);
      g_assert_cmpstr (first, ==, second);
      g_assert_cmpuint (imgscan_result_get_n_duplicates (again), ==, 0);
      g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_matches (again)), ==,
                        g_list_model_get_n_items (imgscan_result_get_matches (result)));
    }

  return 0;
}
