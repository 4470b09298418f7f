/* mock-server.h: an in-process stand-in for Copyleaks, for the tests only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MOCK_EMAIL "tester@example.com"
#define MOCK_KEY   "11111111-2222-4333-8444-555555555555"

/* One check request as the server received it, parsed with libsoup's own multipart parser. */
typedef struct
{
  char        *path;             /* "/v1/image-plagiarism-detector/<scanId>/check" */
  char        *scan_id;
  char        *authorization;    /* the Authorization header */
  char        *accept;
  char        *accept_encoding;
  char        *user_agent;
  char        *content_type;     /* of the whole body */
  guint64      content_length;
  char       **part_names;       /* in order: "image", "filename", "sandbox" */
  char        *image_filename;   /* the image part's filename="" */
  char        *image_content_type;
  GBytes      *image;            /* the image part's bytes */
  char        *filename;         /* the filename part */
  char        *sandbox;          /* the sandbox part */
} MockCheckRequest;

#define MOCK_TYPE_SERVER (mock_server_get_type ())
G_DECLARE_FINAL_TYPE (MockServer, mock_server, MOCK, SERVER, GObject)

/* Listens on 127.0.0.1:0 in the thread-default main context. Login accepts only
 * MOCK_EMAIL + MOCK_KEY. */
MockServer             *mock_server_new              (void);
/* "http://127.0.0.1:PORT", both id and api base URL. */
const char             *mock_server_get_url          (MockServer  *self);

/* Scenarios for the check endpoint:
 *   "example" (default)  the documented reply: 2 full, 1 partial, with webPages
 *   "empty"              no matches, zero scores
 *   "many"               3,000 full + 2,000 partial matches
 *   "gzip"               "example", Content-Encoding: gzip
 *   "extra-fields"       unknown keys everywhere
 *   "null-payload"       developerPayload null;   "missing-payload": absent
 *   "out-of-order"       partial before full, mixed
 *   "duplicates"         repeated image URLs
 *   "unknown-type"       a matchType 7 entry
 *   "score-mismatch"     score block disagrees with the list
 *   "thumbnails"         2 full + 1 partial whose URLs are this server's /thumbs/ok-N.png,
 *                        one page each is javascript:/file: URL, plus one /thumbs/broken.png
 *   "status-400" "status-401" "status-402" "status-403" "status-404" "status-500"
 *   "status-503"         always that status, with a documented error body
 *   "payment-error"      400 with {"error":{"type":"payment_error","message":…}}
 *   "401-once"           401 on the first check, then "example"
 *   "429-once"           429 with Retry-After: 1 once, then "example"
 *   "503-once" "500-once" "drop-once"   that failure once, then "example"
 *   "invalid-json" "wrong-types" "truncated" "not-object" "huge" (over 32 MiB)
 *   "drop-connection"    closes the connection without a reply, always
 *   "slow"               answers "example" after mock_server_set_delay() ms (default 5000)
 * Also: "huge-chunked" (over 32 MiB, chunked, no Content-Length).
 * Details: "example" matches are https://images.example.com/full-1.jpg, full-2.jpg
 * (matchType 0) and partial-1.jpg (1); developerPayload "mock-payload"; scannedImage echoes
 * the scanId of the path and the filename part. "thumbnails" holds ok-1, ok-2 (full),
 * ok-3 and broken.png (partial): 4 matches, score 4/2/2. Error bodies use every documented
 * shape: 400 {"filename":[…]}, 401 {"message"}, 402 and "payment-error" {"error":{…}},
 * 403 {"Message"}, 404 {"title","status"}, 500 {"error":"text"}, 503 plain text.
 * A check without a valid token from this server's login gets 401 {"message"}.
 * "*-once" scenarios fail on the first check after mock_server_set_scenario() or
 * mock_server_reset() only.
 * Login scenarios are set apart: "ok" (default), "401", "429", "400". */
void                    mock_server_set_scenario       (MockServer  *self,
                                                        const char  *scenario);
void                    mock_server_set_login_scenario (MockServer  *self,
                                                        const char  *scenario);
void                    mock_server_set_delay          (MockServer  *self,
                                                        guint        delay_ms);
/* Token lifetime the login replies with (default 48 h). */
void                    mock_server_set_token_lifetime (MockServer  *self,
                                                        GTimeSpan    lifetime);

guint                   mock_server_get_n_logins     (MockServer  *self);
guint                   mock_server_get_n_checks     (MockServer  *self);   /* requests to /check */
guint                   mock_server_get_n_thumbnails (MockServer  *self);   /* requests to /thumbs/ */
guint                   mock_server_get_n_requests   (MockServer  *self);   /* every request */
/* Nullable: the last complete check request. Transfer none. */
const MockCheckRequest *mock_server_get_last_check   (MockServer  *self);
/* GET /v3/scans/credits answers {"Amount": credits} (default 100). */
void                    mock_server_set_credits      (MockServer  *self,
                                                      gint64       credits);
/* Every access token this server issued that is still valid, e.g. to look for leaks. */
GStrv                   mock_server_dup_tokens       (MockServer  *self);

/* The scanId of every check request since the last reset, in order (NULL-terminated). */
const char * const     *mock_server_get_check_scan_ids (MockServer *self);

/* Forgets counters and recorded requests. */
void                    mock_server_reset            (MockServer  *self);

G_END_DECLS
