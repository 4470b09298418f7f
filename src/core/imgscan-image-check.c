/* imgscan-image-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Placeholder: the owner of this file replaces it. */
#include "config.h"

#include "imgscan-image-check.h"
