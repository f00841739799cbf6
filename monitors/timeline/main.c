/*
 * exha-timeline: what the last failovers did, from Pacemaker's own
 * records, on a live cluster node. The I/O only: the CIB through libcib
 * (the whole CIB, local replica), the fencer's history through
 * libstonithd; everything else is the pure code in timeline.h. A command
 * run by hand, so the libraries libcrmcommon drags in cost nothing that
 * matters here (monitors never link them).
 *
 * Exit: 0 printed; 1 the CIB could not be read or made no sense; 2 usage;
 * 3 printed, but without the fencing history (the fencer did not answer).
 */
#include <crm/cib.h>
#include <crm/common/xml.h>
#include <crm/stonith-ng.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timeline.h"

/* How long the fencer may take to send its history (seconds). */
#define FENCER_TIMEOUT_S 10

static void usage(FILE *f)
{
	fprintf(f, "Usage: exha-timeline [--json] [--since TIME] [--group NAME]\n"
		   "  Each group's operations, fencing, and the failover gap, from the CIB\n"
		   "  and the fencer's history on this node.\n"
		   "  --since TIME  ISO 8601 (2026-12-06T23:59:01Z, local time without a zone)\n"
		   "                or a span back from now: 30s, 10m, 2h, 1d\n"
		   "  --group NAME  only that group\n"
		   "  --json        one JSON object, for scripts\n");
}

static int read_cib(struct tl *tl)
{
	cib_t *cib = cib_new();
	xmlNode *xml = NULL;
	int rc, r;

	if (!cib) {
		fprintf(stderr, "exha-timeline: cannot create a CIB connection: out of memory\n");
		return -ENOMEM;
	}
	rc = cib->cmds->signon(cib, "exha-timeline", cib_query);
	if (rc == pcmk_ok)
		rc = cib->cmds->query(cib, NULL, &xml, cib_scope_local | cib_sync_call);
	cib->cmds->signoff(cib);
	cib_delete(cib);
	if (rc != pcmk_ok || !xml) {
		fprintf(stderr,
			"exha-timeline: cannot read the CIB: %s (is Pacemaker running here?)\n",
			pcmk_strerror(rc));
		free_xml(xml);
		return -EIO;
	}
	r = tl_add_cib(tl, xml);
	free_xml(xml);
	if (r < 0)
		fprintf(stderr, "exha-timeline: the CIB's status section: %s\n", strerror(-r));
	return r;
}

static int read_fencer(struct tl *tl)
{
	stonith_t *st = stonith_api_new();
	stonith_history_t *hist = NULL, *h;
	int rc, r = 0;

	if (!st) {
		fprintf(stderr,
			"exha-timeline: cannot create a fencer connection: out of memory\n");
		return -ENOMEM;
	}
	rc = st->cmds->connect(st, "exha-timeline", NULL);
	if (rc == pcmk_ok)
		rc = st->cmds->history(st, st_opt_sync_call, NULL, &hist, FENCER_TIMEOUT_S);
	st->cmds->disconnect(st);
	stonith_api_delete(st);
	if (rc != pcmk_ok) {
		fprintf(stderr, "exha-timeline: no fencing history: the fencer: %s\n",
			pcmk_strerror(rc));
		stonith_history_free(hist);
		return -EIO;
	}
	for (h = hist; h && r >= 0; h = h->next) {
		struct tl_fence f = {
			.target = h->target,
			.action = h->action,
			.origin = h->origin,
			.delegate = h->delegate,
			.exit_reason = h->exit_reason,
			.state = h->state,
			.completed_s = (int64_t)h->completed,
			.completed_ns = h->completed_nsec,
		};

		r = tl_add_fence(tl, &f);
	}
	stonith_history_free(hist);
	if (r < 0)
		fprintf(stderr, "exha-timeline: the fencing history: %s\n", strerror(-r));
	return r;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct opts {
	bool json;
	const char *group;
	int64_t since_ms;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"since", required_argument, NULL, 's'},
		{"group", required_argument, NULL, 'g'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct opts){.since_ms = INT64_MIN};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 's':
			if (tl_parse_since(optarg, now_ms(), &o->since_ms) < 0) {
				fprintf(stderr,
					"exha-timeline: --since '%s': not an ISO 8601 time "
					"nor a span like 10m\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "exha-timeline: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct tl *tl;
	struct opts o;
	int r, fenced;

	r = parse_opts(argc, argv, &o);
	if (r != 0)
		return r > 0 ? 0 : 2;
	tl = tl_new();
	if (!tl || read_cib(tl) < 0) {
		tl_free(tl);
		return 1;
	}
	if (o.group && !tl_group_find(tl, o.group)) {
		fprintf(stderr, "exha-timeline: no group '%s' in the CIB\n", o.group);
		tl_free(tl);
		return 1;
	}
	fenced = read_fencer(tl);
	tl_sort(tl);
	r = o.json ? tl_print_json(stdout, tl, o.group, o.since_ms)
		   : tl_print_text(stdout, tl, o.group, o.since_ms);
	tl_free(tl);
	if (r < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "exha-timeline: cannot write the timeline: %s\n",
			strerror(r < 0 ? -r : errno));
		return 1;
	}
	return fenced < 0 ? 3 : 0;
}
