/*
 * The canary's names, as pure functions: the tag every canary carries and
 * the checks on what goes into it and into RCPT TO. The tag is searched for
 * by substring (IMAP SEARCH HEADER), so an owner is one word of a small
 * alphabet: "v1 <owner> " then matches that owner's canaries and no other.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "canary.h"

int canary_address_check(const char *address)
{
	const char *at;
	size_t n;

	if (!address)
		return -EINVAL;
	n = strlen(address);
	at = strchr(address, '@');
	if (n == 0 || n > CANARY_ADDRESS_MAX || !at || at == address || at[1] == '\0' ||
	    strchr(at + 1, '@'))
		return -EINVAL;
	for (const char *p = address; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("<>\"\\()[],;", *p))
			return -EINVAL;
	return 0;
}

int canary_owner_check(const char *owner)
{
	size_t n;

	if (!owner)
		return -EINVAL;
	n = strlen(owner);
	if (n == 0 || n > CANARY_OWNER_MAX)
		return -EINVAL;
	if (strspn(owner, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") !=
	    n)
		return -EINVAL;
	return 0;
}

int canary_tag_format(const char *owner, uint64_t unix_s, uint64_t random, char *buf, size_t size)
{
	int n;

	if (canary_owner_check(owner) < 0 || !buf)
		return -EINVAL;
	n = snprintf(buf, size, "v1 %s %" PRIu64 " %016" PRIx64, owner, unix_s, random);
	return n < 0 || (size_t)n >= size ? -ENOBUFS : 0;
}

const char *canary_step_name(enum canary_step step)
{
	static const char *const names[CANARY_N_STEPS] = {"clean", "submit", "deliver", "read",
							  "delete"};

	return step < CANARY_N_STEPS ? names[step] : "?";
}

static unsigned long ms_of(uint64_t us)
{
	return (unsigned long)((us + 500) / 1000);
}

void canary_report_format(const struct canary_report *rep, char *buf, size_t size)
{
	const uint64_t *t = rep->step_us;

	snprintf(buf, size,
		 "submit %lu ms, deliver %lu ms, read %lu ms, delete %lu ms (clean %lu ms, %u old "
		 "removed)",
		 ms_of(t[CANARY_SUBMIT]), ms_of(t[CANARY_DELIVER]), ms_of(t[CANARY_READ]),
		 ms_of(t[CANARY_DELETE]), ms_of(t[CANARY_CLEAN]), rep->cleaned);
}
