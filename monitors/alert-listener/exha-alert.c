/*
 * exha-alert: raise a cluster alert by hand or from a script (the classic
 * "ARMBCAST /MSG ... /A"), or listen in the foreground and print every
 * alert as it arrives (--listen; --count N ends after N alerts).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "node.h"
#include "strutil.h"

struct options {
	enum alert_severity severity;
	const char *source;
	const char *node;
	uint64_t timeout_s;
	bool listen;
	uint64_t count; /* --listen: stop after this many (0: never) */
};

static void usage(FILE *out)
{
	fputs("usage: exha-alert [-s info|warning|critical] [-S SOURCE] [-n NODE] [-t SECONDS] "
	      "TEXT...\n"
	      "       exha-alert --listen [--count N] [-t SECONDS]\n",
	      out);
}

static int options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"severity", required_argument, NULL, 's'},
		{"source", required_argument, NULL, 'S'},
		{"node", required_argument, NULL, 'n'},
		{"timeout", required_argument, NULL, 't'},
		{"listen", no_argument, NULL, 'l'},
		{"count", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;

	*o = (struct options){.severity = ALERT_WARNING, .source = "exha-alert", .timeout_s = 10};
	while ((c = getopt_long(argc, argv, "s:S:n:t:lc:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (alert_severity_parse(optarg, &o->severity) < 0)
				return -EINVAL;
			break;
		case 'S':
			o->source = optarg;
			break;
		case 'n':
			o->node = optarg;
			break;
		case 't':
			if (parse_uint64(optarg, 1, 86400, &o->timeout_s) < 0)
				return -EINVAL;
			break;
		case 'l':
			o->listen = true;
			break;
		case 'c':
			if (parse_uint64(optarg, 1, UINT32_MAX, &o->count) < 0)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

/* The words of the message, joined by single spaces. */
static int text_join(int argc, char **argv, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < argc; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= size - used)
			return -EMSGSIZE;
		used += (size_t)n;
	}
	return used ? 0 : -EINVAL;
}

static int do_send(const struct options *o, int argc, char **argv)
{
	char node[HOST_NAME_MAX + 1], text[ALERT_TEXT_MAX + 1];
	struct alert a = {0};
	int r = text_join(argc, argv, text, sizeof(text));

	if (r < 0) {
		fprintf(stderr, "exha-alert: %s\n",
			r == -EMSGSIZE ? "the message is too long" : "no message given");
		return 2;
	}
	node_name_resolve(o->node ? o->node : getenv("OCF_RESKEY_CRM_meta_on_node"), node,
			  sizeof(node));
	r = alert_init(&a, o->severity, node, o->source, text);
	if (r == 0)
		r = alert_send(&a, deadline_in_ms(o->timeout_s * 1000));
	if (r < 0) {
		fprintf(stderr, "exha-alert: cannot send the alert: %s\n",
			r == -ENOTCONN ? "corosync is not running here" : strerror(-r));
		return 1;
	}
	return 0;
}

static void print_alert(const struct alert *a, uint32_t nodeid, void *userdata)
{
	uint64_t *seen = userdata;
	char line[ALERT_MSG_MAX + 64];

	if (alert_format(a, line, sizeof(line)) >= 0)
		printf("%s\n", line);
	fflush(stdout);
	(*seen)++;
}

static int do_listen(const struct options *o)
{
	deadline_t deadline = deadline_in_ms(o->timeout_s * 1000);
	struct alert_listener *l = NULL;
	uint64_t seen = 0;
	int r = alert_listener_open(print_alert, &seen, &l);

	if (r >= 0)
		r = alert_listener_fd(l);
	while (r >= 0 && (o->count == 0 || seen < o->count)) {
		struct pollfd pfd = {.fd = r, .events = POLLIN};
		int fd = r;

		r = poll(&pfd, 1, o->count ? deadline_poll_timeout(deadline) : -1);
		if (r == 0)
			r = -ETIME;
		else if (r > 0 && (r = alert_listener_dispatch(l)) == 0)
			r = fd;
		else if (r < 0 && errno == EINTR)
			r = fd;
	}
	alert_listener_close(l);
	if (r < 0 && !(o->count && seen >= o->count)) {
		fprintf(stderr, "exha-alert: %s\n",
			r == -ETIME	 ? "timed out"
			: r == -ENOTCONN ? "corosync is not running here"
					 : strerror(-r));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;

	if (options_parse(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	if (o.listen)
		return optind == argc ? do_listen(&o) : (usage(stderr), 2);
	return do_send(&o, argc - optind, argv + optind);
}
