/* imgscan-cli-history.c: `history` (list the kept scans) and `export`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "imgscan-cli-private.h"

static ImgscanHistory *
load_history (int *status)
{
  g_autoptr(ImgscanHistory) history = imgscan_history_new (NULL);
  g_autoptr(GError) error = NULL;

  if (!imgscan_history_load (history, NULL, &error))
    {
      g_autoptr(GFile) dir = g_object_ref (imgscan_history_get_dir (history));
      g_autofree char *path = g_file_get_path (dir);

      *status = cli_fail (CLI_EXIT_INVALID,
                          _("cannot read the history in %s (%s); check that folder"),
                          path, error->message);
      return NULL;
    }

  return g_steal_pointer (&history);
}

static char *
format_time (GDateTime *time,
             gboolean   iso)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  if (iso)
    return g_date_time_format_iso8601 (time);
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
history_to_json (GListModel *entries)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  guint n = g_list_model_get_n_items (entries);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ImgscanHistoryEntry) entry = g_list_model_get_item (entries, i);
      g_autofree char *time = format_time (imgscan_history_entry_get_time (entry), TRUE);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "scanId");
      json_builder_add_string_value (builder, imgscan_history_entry_get_scan_id (entry));
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, time);
      json_builder_set_member_name (builder, "filename");
      json_builder_add_string_value (builder, imgscan_history_entry_get_filename (entry));
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, imgscan_history_entry_get_path (entry));
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) imgscan_history_entry_get_size (entry));
      json_builder_set_member_name (builder, "sandbox");
      json_builder_add_boolean_value (builder, imgscan_history_entry_get_sandbox (entry));
      json_builder_set_member_name (builder, "fullMatches");
      json_builder_add_int_value (builder, imgscan_history_entry_get_n_full (entry));
      json_builder_set_member_name (builder, "partialMatches");
      json_builder_add_int_value (builder, imgscan_history_entry_get_n_partial (entry));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, NULL);
  return g_strconcat (data, "\n", NULL);
}

static char *
history_to_text (GListModel *entries)
{
  GString *out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (entries);

  if (n == 0)
    {
      g_string_append (out, _("No scans kept yet. Run `imgscan-cli scan IMAGE`, or "
                               "`imgscan-cli scan --demo IMAGE` to try it."));
      g_string_append_c (out, '\n');
      return g_string_free (out, FALSE);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ImgscanHistoryEntry) entry = g_list_model_get_item (entries, i);
      g_autofree char *time = format_time (imgscan_history_entry_get_time (entry), FALSE);
      g_autofree char *counts = NULL;

      /* TRANSLATORS: counts of full and partial matches in one history line */
      counts = g_strdup_printf (_("%u full, %u partial"),
                                imgscan_history_entry_get_n_full (entry),
                                imgscan_history_entry_get_n_partial (entry));
      g_string_append_printf (out, "%s  %s  %s  %s",
                              imgscan_history_entry_get_scan_id (entry), time, counts,
                              imgscan_history_entry_get_filename (entry));
      if (imgscan_history_entry_get_sandbox (entry))
        g_string_append_printf (out, "  %s", _("(sandbox)"));
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

int
cli_command_history (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(ImgscanHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE;
  int status = CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the list as a JSON array"), NULL },
    { NULL }
  };

  context = cli_option_context_new (NULL,
                                    _("List the scans kept on this computer, newest first: "
                                      "scan id, date, full and partial matches, file."),
                                    entries);
  if ((status = cli_parse_options (context, "history", &argc, &argv)) >= 0)
    return status;
  if (argc != 1)
    return cli_fail (CLI_EXIT_USAGE,
                     _("history takes no arguments; run `imgscan-cli history --help`"));

  history = load_history (&status);
  if (history == NULL)
    return status;

  text = json ? history_to_json (G_LIST_MODEL (history)) : history_to_text (G_LIST_MODEL (history));
  if (!cli_write_stdout (text, strlen (text), &error))
    return cli_fail_output (error);
  return CLI_EXIT_OK;
}

int
cli_command_export (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(ImgscanHistory) history = NULL;
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  ImgscanHistoryEntry *entry;
  ImgscanExportFormat format;
  gsize length = 0;
  int status = CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("csv (one row per match and page) or json (the API’s shape)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE instead of the standard output"), N_("FILE") },
    { NULL }
  };

  context = cli_option_context_new (_("SCAN_ID"),
                                    _("Write a kept scan as CSV or JSON. The JSON is what "
                                      "`imgscan-cli scan --json` printed for that scan."),
                                    entries);
  if ((status = cli_parse_options (context, "export", &argc, &argv)) >= 0)
    return status;

  if (argc != 2)
    return cli_fail (CLI_EXIT_USAGE,
                     argc < 2 ? _("no scan id given; `imgscan-cli history` lists them")
                              : _("give exactly one scan id; run `imgscan-cli export --help`"));
  if (format_name == NULL)
    return cli_fail (CLI_EXIT_USAGE, _("say which format: --format csv or --format json"));
  if (!imgscan_export_format_from_string (format_name, &format))
    return cli_fail (CLI_EXIT_USAGE,
                     _("unknown format “%s”; use --format csv or --format json"), format_name);

  history = load_history (&status);
  if (history == NULL)
    return status;

  entry = imgscan_history_lookup (history, argv[1]);
  if (entry == NULL)
    return cli_fail (CLI_EXIT_USAGE,
                     _("no scan “%s” in the history; `imgscan-cli history` lists the kept scans"),
                     argv[1]);

  result = imgscan_history_entry_load_result (entry, &error);
  if (result == NULL)
    return cli_fail (CLI_EXIT_INVALID,
                     _("the kept reply of scan “%s” is not a valid result (%s)"),
                     argv[1], error->message);

  if (format == IMGSCAN_EXPORT_FORMAT_JSON)
    text = cli_json_text (result, &length);
  else
    text = imgscan_export_result (result, format, &length);

  if (output != NULL && !g_str_equal (output, "-"))
    {
      if (!g_file_set_contents (output, text, length, &error))
        return cli_fail (CLI_EXIT_USAGE, _("cannot write %s (%s)"), output, error->message);
      return CLI_EXIT_OK;
    }

  if (!cli_write_stdout (text, length, &error))
    return cli_fail_output (error);
  return CLI_EXIT_OK;
}
