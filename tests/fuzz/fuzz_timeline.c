/*
 * fuzz_timeline: exha-timeline's readers of what the cluster hands it.
 * Input starting with 'S': the rest is a --since value; otherwise a CIB
 * for tl_add_cib, whose events are then ordered, their gaps taken and
 * printed both ways. A refused CIB is -EBADMSG and nothing else; a --since
 * is a time or -EINVAL, and a refused one leaves the result untouched.
 */
#include <errno.h>
#include <libxml/parser.h>

#include "fuzz.h"
#include "timeline.h"

static void fuzz_since(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	int64_t v = 42;
	int r = tl_parse_since(s, 1796601242831LL, &v);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	FUZZ_ASSERT(r == 0 || v == 42);
	free(s);
}

static void fuzz_cib(const uint8_t *data, size_t size)
{
	xmlDoc *doc = xmlReadMemory((const char *)data, (int)size, "cib.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	struct tl *tl;
	FILE *null;
	size_t i;
	int r;

	if (!doc)
		return;
	tl = tl_new();
	null = fopen("/dev/null", "w");
	if (!tl || !null)
		abort();
	r = tl_add_cib(tl, xmlDocGetRootElement(doc));
	FUZZ_ASSERT(r == 0 || r == -EBADMSG);
	tl_sort(tl);
	for (i = 0; i < tl->n_events; i++)
		FUZZ_ASSERT(tl->events[i].end_ms >= tl->events[i].t_ms);
	for (i = 0; i < tl->n_groups; i++) {
		struct tl_gap gap = tl_group_gap(tl, &tl->groups[i], INT64_MIN);

		FUZZ_ASSERT(!gap.to || gap.from);
	}
	FUZZ_ASSERT(tl_print_text(null, tl, NULL, INT64_MIN) == 0);
	FUZZ_ASSERT(tl_print_json(null, tl, NULL, INT64_MIN) == 0);
	fclose(null);
	tl_free(tl);
	xmlFreeDoc(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == 'S')
		fuzz_since(data + 1, size - 1);
	else
		fuzz_cib(data, size);
	return 0;
}
