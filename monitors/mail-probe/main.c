/*
 * exha-mail-probe: Nagios-style check of SMTP, IMAP and POP3 servers with
 * the probe library ocf:exha:service-set uses. One status line on stdout,
 * exit 0 OK, 1 WARNING (slower than --warning), 2 CRITICAL (a server
 * failed), 3 UNKNOWN (bad usage, unreadable credentials, a refused
 * cleartext login, no OpenSSL). With --canary, the mail canary instead
 * (canary.h): a tagged message sent through the smtp:// URL, read back and
 * deleted through the imap:// one, each step timed.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "canary.h"
#include "mailprobe.h"
#include "strutil.h"

enum { STATE_OK, STATE_WARNING, STATE_CRITICAL, STATE_UNKNOWN };

static const char *const state_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

struct options {
	uint64_t timeout_s;
	uint64_t warning_ms; /* 0: none */
	const char *credentials;
	const char *ca_file;
	const char *canary;	  /* the canary mailbox, or NULL: probes */
	const char *canary_owner; /* whose canaries these are */
	char **urls;
	int n_urls;
};

static void usage(FILE *f)
{
	fputs("Usage: exha-mail-probe [OPTIONS] URL...\n"
	      "Check mail servers: smtp://HOST[:PORT], imap://..., pop3://...; smtp+starttls://,\n"
	      "imap+starttls://, pop3+starttls:// start TLS first. HOST: a.b.c.d, [IPv6] or a "
	      "name.\n"
	      "  -t, --timeout SECONDS     for all URLs together (default 10)\n"
	      "  -w, --warning MS          WARNING when a probe takes longer\n"
	      "  -c, --credentials FILE    log in to IMAP/POP3 (root-only file: user=, password=)\n"
	      "  -C, --ca-file FILE        CA certificates for STARTTLS (default: system store)\n"
	      "  -m, --canary ADDRESS      send a tagged message to ADDRESS through the smtp URL,\n"
	      "                            read it back and delete it through the imap URL\n"
	      "                            (needs --credentials of that mailbox)\n"
	      "  -o, --canary-owner NAME   the tag's owner (default mail-probe); a check deletes\n"
	      "                            the canaries the same owner left behind\n"
	      "  -h, --help\n"
	      "Exit: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, with one status line.\n",
	      f);
}

static int unknown(const char *what, const char *arg, const char *why)
{
	printf("MAIL UNKNOWN - %s%s%s%s: %s\n", what, arg ? " '" : "", arg ? arg : "",
	       arg ? "'" : "", why);
	return STATE_UNKNOWN;
}

/* -1 when the options are good, else the exit code. */
static int options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"timeout", required_argument, NULL, 't'},
		{"warning", required_argument, NULL, 'w'},
		{"credentials", required_argument, NULL, 'c'},
		{"ca-file", required_argument, NULL, 'C'},
		{"canary", required_argument, NULL, 'm'},
		{"canary-owner", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct options){.timeout_s = 10, .canary_owner = "mail-probe"};
	while ((c = getopt_long(argc, argv, "t:w:c:C:m:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_uint64(optarg, 1, 3600, &o->timeout_s) < 0)
				return unknown("--timeout", optarg, "seconds, 1 to 3600");
			break;
		case 'w':
			if (parse_uint64(optarg, 1, 3600000, &o->warning_ms) < 0)
				return unknown("--warning", optarg, "milliseconds, 1 to 3600000");
			break;
		case 'c':
			o->credentials = optarg;
			break;
		case 'C':
			o->ca_file = optarg;
			break;
		case 'm':
			if (canary_address_check(optarg) < 0)
				return unknown("--canary", optarg, "not an address local@domain");
			o->canary = optarg;
			break;
		case 'o':
			if (canary_owner_check(optarg) < 0)
				return unknown("--canary-owner", optarg,
					       "1 to 64 letters, digits, '.', '_', ':', '-'");
			o->canary_owner = optarg;
			break;
		case 'h':
			usage(stdout);
			return STATE_OK;
		default:
			usage(stderr);
			return STATE_UNKNOWN;
		}
	}
	o->urls = argv + optind;
	o->n_urls = argc - optind;
	if (o->n_urls == 0)
		return unknown("usage", NULL, "no URL to check (exha-mail-probe --help)");
	if (o->canary && (o->n_urls != 2 || !o->credentials))
		return unknown("--canary", NULL,
			       "needs an smtp and an imap URL, and --credentials");
	return -1;
}

static int state_of(int r)
{
	if (r >= 0)
		return STATE_OK;
	if (r == -EPERM || r == -ELIBACC || r == -EINVAL)
		return STATE_UNKNOWN;
	return STATE_CRITICAL;
}

/* Worse of two states: CRITICAL over UNKNOWN over WARNING over OK. */
static int state_worse(int a, int b)
{
	static const int rank[] = {0, 1, 3, 2};

	return rank[a] >= rank[b] ? a : b;
}

/* Probe one URL, append its part of the status line; returns its state. */
static int check_one(const char *url, const struct options *o, const struct probe_credentials *cred,
		     deadline_t deadline, char *line, size_t size)
{
	struct probe_target t;
	struct error err = {""};
	uint64_t start = now_us(), ms;
	size_t used = strlen(line);
	int r, state;

	r = probe_target_parse(url, &t, &err);
	if (r >= 0) {
		t.ca_file = o->ca_file;
		r = probe_run(&t, cred, deadline, &err);
	}
	ms = (now_us() - start + 999) / 1000;
	state = state_of(r);
	if (state == STATE_OK && o->warning_ms && ms > o->warning_ms)
		state = STATE_WARNING;
	if (r >= 0)
		snprintf(line + used, size - used, "%s%s %s in %llu ms", used ? "; " : "", url,
			 err.msg, (unsigned long long)ms);
	else
		snprintf(line + used, size - used, "%s%s", used ? "; " : "", err.msg);
	return state;
}

/* The smtp:// and the imap:// URL of a canary, in any order. */
static int canary_targets(const struct options *o, struct probe_target *smtp,
			  struct probe_target *imap, struct error *err)
{
	for (int i = 0; i < 2; i++) {
		struct probe_target t;
		int r = probe_target_parse(o->urls[i], &t, err);

		if (r < 0)
			return r;
		t.ca_file = o->ca_file;
		if (t.proto == PROBE_SMTP)
			*smtp = t;
		else if (t.proto == PROBE_IMAP)
			*imap = t;
	}
	if (smtp->port == 0 || imap->port == 0)
		return error_set(err, EINVAL, "--canary needs one smtp and one imap URL");
	return 0;
}

static int check_canary(const struct options *o, const struct probe_credentials *cred,
			deadline_t deadline)
{
	struct probe_target smtp = {.port = 0}, imap = {.port = 0};
	struct canary k = {
		.smtp = &smtp, .imap = &imap, .address = o->canary, .owner = o->canary_owner};
	struct canary_report rep;
	struct error err = {""};
	char line[512];
	uint64_t start = now_us(), ms;
	int r = canary_targets(o, &smtp, &imap, &err), state;

	if (r < 0)
		return unknown("--canary", NULL, err.msg);
	r = canary_run(&k, cred, deadline, &rep, &err);
	ms = (now_us() - start + 999) / 1000;
	state = state_of(r);
	if (state == STATE_OK && o->warning_ms && ms > o->warning_ms)
		state = STATE_WARNING;
	if (r >= 0)
		canary_report_format(&rep, line, sizeof(line));
	printf("MAIL %s - canary to %s %s %llu ms: %s\n", state_names[state], o->canary,
	       r >= 0 ? "in" : "failed after", (unsigned long long)ms, r >= 0 ? line : err.msg);
	return state;
}

int main(int argc, char **argv)
{
	struct probe_credentials cred = {{0}};
	struct options o;
	struct error err = {""};
	char line[4096] = "";
	deadline_t deadline;
	int state = STATE_OK, r;

	r = options_parse(argc, argv, &o);
	if (r >= 0)
		return r;
	deadline = deadline_in_ms(o.timeout_s * 1000);
	if (o.credentials && probe_credentials_read(o.credentials, &cred, &err) < 0)
		return unknown("--credentials", NULL, err.msg);
	if (o.canary) {
		state = check_canary(&o, &cred, deadline);
		explicit_bzero(&cred, sizeof(cred));
		return state;
	}
	for (int i = 0; i < o.n_urls; i++)
		state = state_worse(state, check_one(o.urls[i], &o, o.credentials ? &cred : NULL,
						     deadline, line, sizeof(line)));
	explicit_bzero(&cred, sizeof(cred));
	printf("MAIL %s - %s\n", state_names[state], line);
	return state;
}
