/* imgscan-cli-print.c: the readable summary of a result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-cli-private.h"

static void
append_group (GString    *out,
              const char *title,
              GListModel *matches,
              gboolean    show_type)
{
  guint n = g_list_model_get_n_items (matches);

  g_string_append_c (out, '\n');
  g_string_append (out, title);
  g_string_append_c (out, '\n');

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (matches, i);
      const char * const *pages = imgscan_match_get_pages (match);

      g_string_append_printf (out, "  %s", imgscan_match_get_url (match));
      if (show_type)
        {
          g_autofree char *type = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   imgscan_match_get_match_type (match));

          /* TRANSLATORS: after an image URL whose matchType this version doesn't know */
          g_string_append_printf (out, _("  (matchType %s)"), type);
        }
      g_string_append_c (out, '\n');

      if (pages[0] == NULL)
        g_string_append_printf (out, "    %s\n", _("(on no web page)"));
      for (guint p = 0; pages[p] != NULL; p++)
        g_string_append_printf (out, "    %s\n", pages[p]);
    }
}

char *
cli_format_summary (ImgscanResult    *result,
                    ImgscanImageInfo *info,
                    gboolean          sandbox,
                    gboolean          demo,
                    gboolean          kept)
{
  GString *out = g_string_new (NULL);
  const char *filename = imgscan_result_get_filename (result);
  GDateTime *created = imgscan_result_get_creation_time (result);
  GListModel *full = imgscan_result_get_full_matches (result);
  GListModel *partial = imgscan_result_get_partial_matches (result);
  GListModel *other = imgscan_result_get_other_matches (result);
  guint n_full = g_list_model_get_n_items (full);
  guint n_partial = g_list_model_get_n_items (partial);
  guint n_other = g_list_model_get_n_items (other);
  guint n_duplicates = imgscan_result_get_n_duplicates (result);
  guint width = imgscan_result_get_width (result);
  guint height = imgscan_result_get_height (result);

  if ((filename == NULL || *filename == '\0') && info != NULL)
    filename = imgscan_image_info_get_basename (info);

  g_string_append_printf (out, _("File: %s"), filename != NULL ? filename : "");
  g_string_append_c (out, '\n');

  if (info != NULL && width > 0 && height > 0)
    {
      g_autofree char *size = imgscan_format_size (imgscan_image_info_get_size (info));

      /* TRANSLATORS: file size, then width × height in pixels */
      g_string_append_printf (out, _("Size: %s, %u × %u pixels"), size, width, height);
      g_string_append_c (out, '\n');
    }
  else if (info != NULL)
    {
      g_autofree char *size = imgscan_format_size (imgscan_image_info_get_size (info));

      g_string_append_printf (out, _("Size: %s"), size);
      g_string_append_c (out, '\n');
    }
  else if (width > 0 && height > 0)
    {
      g_string_append_printf (out, _("Size: %u × %u pixels"), width, height);
      g_string_append_c (out, '\n');
    }

  g_string_append_printf (out, _("Scan ID: %s"), imgscan_result_get_scan_id (result));
  g_string_append_c (out, '\n');

  if (created != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (created);
      g_autofree char *date = g_date_time_format (local, "%Y-%m-%d %H:%M");

      g_string_append_printf (out, _("Date: %s"), date);
      g_string_append_c (out, '\n');
    }

  {
    /* Numbers go in as text: xgettext cannot see through G_GINT64_FORMAT. */
    g_autofree char *used = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             imgscan_result_get_actual_credits (result));
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 imgscan_result_get_expected_credits (result));

    g_string_append_printf (out, _("Credits: %s used, %s expected"), used, expected);
  }
  g_string_append_c (out, '\n');

  if (sandbox)
    {
      g_string_append (out, _("Sandbox — mock results: a free test scan; these matches are not real."));
      g_string_append_c (out, '\n');
    }
  if (demo)
    {
      g_string_append (out, _("Offline demo: ImgScan’s built-in demo server answered; nothing left "
                              "this computer."));
      g_string_append_c (out, '\n');
    }

  if (n_full + n_partial + n_other == 0)
    {
      g_string_append_c (out, '\n');
      g_string_append (out, _("No copies found on the web."));
      g_string_append_c (out, '\n');
    }
  else
    {
      g_autofree char *full_title = g_strdup_printf (_("Full matches (%u)"), n_full);
      g_autofree char *partial_title = g_strdup_printf (_("Partial matches (%u)"), n_partial);

      append_group (out, full_title, full, FALSE);
      append_group (out, partial_title, partial, FALSE);
      if (n_other > 0)
        {
          g_autofree char *other_title = g_strdup_printf (_("Other matches (%u)"), n_other);

          append_group (out, other_title, other, TRUE);
        }
    }

  if (imgscan_result_get_score_mismatch (result))
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out,
                              _("Note: Copyleaks’ score counts %u full and %u partial matches, "
                                "but its list holds %u and %u; shown above is what the list holds."),
                              imgscan_result_get_score_full (result),
                              imgscan_result_get_score_partial (result),
                              n_full, n_partial);
      g_string_append_c (out, '\n');
    }

  if (n_duplicates > 0)
    {
      g_string_append_printf (out,
                              ngettext ("Note: %u repeated image URL was listed once.",
                                        "Note: %u repeated image URLs were listed once.",
                                        n_duplicates),
                              n_duplicates);
      g_string_append_c (out, '\n');
    }

  if (kept)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out,
                              _("Kept in the history: `imgscan-cli export %s --format csv` "
                                "writes it again."),
                              imgscan_result_get_scan_id (result));
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}
