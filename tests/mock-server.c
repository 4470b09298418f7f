/* Placeholder: the owner of this file replaces it. */
#include "config.h"

#include "mock-server.h"
