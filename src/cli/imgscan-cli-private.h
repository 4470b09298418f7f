/* imgscan-cli-private.h: what the parts of imgscan-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "imgscan-core.h"

G_BEGIN_DECLS

/* The exit statuses are a contract (issue 2): scripts act on them. */
typedef enum
{
  CLI_EXIT_OK           = 0,
  CLI_EXIT_USAGE        = 1,    /* also: the output could not be written */
  CLI_EXIT_REFUSED      = 2,    /* the image was refused locally, nothing sent */
  CLI_EXIT_AUTH         = 3,    /* authentication failed or no credentials */
  CLI_EXIT_NETWORK      = 4,    /* network, server, rate limit, maintenance, refused request */
  CLI_EXIT_INVALID      = 5,    /* the reply or the file is not a valid result */
  CLI_EXIT_CREDITS      = 6,    /* not enough credits */
  CLI_EXIT_CANCELLED    = 130,  /* Ctrl-C */
} CliExit;

/* Shared by the commands that run a main loop: Ctrl-C cancels, a second one exits. */
typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  guint         sigint_id;
  gboolean      interrupted;
} CliRun;

void     cli_run_init             (CliRun       *run);
void     cli_run_clear            (CliRun       *run);

/* @text on one line, without a final full stop (our advice follows it). */
char    *cli_one_line             (const char   *text);
/* One line on stderr, "imgscan-cli: what happened; what to do". Returns @status. */
int      cli_fail                 (int           status,
                                   const char   *format,
                                   ...) G_GNUC_PRINTF (2, 3);
void     cli_warn                 (const char   *format,
                                   ...) G_GNUC_PRINTF (1, 2);
/* Maps any error of the core to an exit status and prints it with advice. */
int      cli_fail_with_error      (const GError *error);

/* Writes to stdout and checks fflush/ferror: a closed pipe or full disk is an error. */
gboolean cli_write_stdout         (const char   *data,
                                   gsize         length,
                                   GError      **error);
/* JSON text as every command prints it: the bytes of imgscan_export_result, with a
 * final newline added when it lacks one, so scan --json, show --json and export agree. */
char    *cli_json_text            (ImgscanResult *result,
                                   gsize         *length);
/* Reports a failed write of @what on stderr; returns CLI_EXIT_USAGE. */
int      cli_fail_output          (const GError *error);

/* The readable summary. @info, @sandbox, @demo and @kept are known only for a fresh scan. */
char    *cli_format_summary       (ImgscanResult    *result,
                                   ImgscanImageInfo *info,
                                   gboolean          sandbox,
                                   gboolean          demo,
                                   gboolean          kept);

GOptionContext *cli_option_context_new (const char   *parameter,
                                        const char   *summary,
                                        GOptionEntry *entries);
/* Parses and reports usage errors; returns -1 to go on, else the exit status. */
int      cli_parse_options        (GOptionContext *context,
                                   const char     *command,
                                   int            *argc,
                                   char         ***argv);

int      cli_command_scan         (int           argc,
                                   char        **argv);
int      cli_command_show         (int           argc,
                                   char        **argv);
int      cli_command_login        (int           argc,
                                   char        **argv);
int      cli_command_logout       (int           argc,
                                   char        **argv);
int      cli_command_history      (int           argc,
                                   char        **argv);
int      cli_command_export       (int           argc,
                                   char        **argv);

G_END_DECLS
