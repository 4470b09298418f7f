/* Placeholder: the owner of this file replaces it. */
#include "config.h"

int
main (int argc, char **argv)
{
  return 1;
}
