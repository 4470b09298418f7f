/* imgscan-core.h: everything the window, the CLI and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "imgscan-client.h"
#include "imgscan-demo-server.h"
#include "imgscan-export.h"
#include "imgscan-history.h"
#include "imgscan-history-entry.h"
#include "imgscan-image-check.h"
#include "imgscan-keyring.h"
#include "imgscan-match.h"
#include "imgscan-result.h"
#include "imgscan-thumbnail-loader.h"
