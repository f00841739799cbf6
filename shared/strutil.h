/*
 * Strict parsing of the strings that reach exha from the environment:
 * numbers with range and trailing-garbage checks, booleans as Pacemaker
 * spells them, space-separated lists, interface names.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decimal unsigned integer in [min, max]. No sign, no blanks, no trailing
 * characters. -EINVAL if not a number, -ERANGE if outside the range.
 */
int parse_uint64(const char *s, uint64_t min, uint64_t max, uint64_t *ret_value);

/* true/false, yes/no, on/off, 1/0 (any case, as crm_is_true). -EINVAL else. */
int parse_bool(const char *s, bool *ret_value);

/*
 * Split a space-separated list (blanks and tabs; runs of them count once)
 * into a NULL-terminated vector. Empty input yields an empty vector. The
 * caller frees the vector with strv_free().
 */
int strv_split(const char *s, char ***ret_strv);
char **strv_free(char **strv);
size_t strv_length(char *const *strv);

/* A name the kernel accepts for a network interface (dev_valid_name()). */
bool ifname_is_valid(const char *s);

/* Copy src into dst of size n; -ENAMETOOLONG if it does not fit whole. */
int strscpy(char *dst, const char *src, size_t n);
