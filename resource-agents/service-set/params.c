/*
 * The service set's parameters: the one table behind its meta-data,
 * validate-all and every action. ss_config_check() ties the per-service
 * values (command lines, pid files) to the names in services, so every
 * action works from the resolved svc[] array.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ss.h"
#include "strutil.h"

static const char *const backend_choices[] = {"systemd", "lsb", "exec", NULL};

static int parse_exec_commands(const struct param_def *def, const char *value, void *field,
			       struct error *err)
{
	return cmdmap_parse(value, field, err);
}

static void free_exec_commands(void *field)
{
	struct cmdmap **m = field;

	*m = cmdmap_free(*m);
}

/* A canary URL into its probe_target field; the scheme must be proto's. */
static int parse_target(const char *value, void *field, enum probe_proto proto, const char *want,
			struct error *err)
{
	struct probe_target t;
	int r = probe_target_parse(value, &t, err);

	if (r < 0)
		return r;
	if (t.proto != proto)
		return error_set(err, EINVAL, "must be an %s URL", want);
	memcpy(field, &t, sizeof(t));
	return 0;
}

static int parse_submit(const struct param_def *def, const char *value, void *field,
			struct error *err)
{
	return parse_target(value, field, PROBE_SMTP, "smtp:// or smtp+starttls://", err);
}

static int parse_read(const struct param_def *def, const char *value, void *field,
		      struct error *err)
{
	return parse_target(value, field, PROBE_IMAP, "imap:// or imap+starttls://", err);
}

static int parse_address(const struct param_def *def, const char *value, void *field,
			 struct error *err)
{
	if (canary_address_check(value) < 0)
		return error_set(err, EINVAL,
				 "must be an address local@domain (printable ASCII, no blanks, "
				 "quotes or brackets)");
	*(const char **)field = value;
	return 0;
}

#define FIELD(f) offsetof(struct ss_config, f)

const struct param_def ss_params[SS_N_PARAMS] = {
	{
		.name = "services",
		.type = PARAM_STRING,
		.flags = PARAM_REQUIRED,
		.shortdesc = "Services, in start order",
		.longdesc = "Space-separated service names, started in this order and stopped in "
			    "reverse (\"postfix dovecot\"). systemd: unit names, with or without "
			    ".service (templates as name@instance); lsb: scripts in /etc/init.d; "
			    "exec: the names used in exec_commands. Only letters, digits, '_', "
			    "'.', '-' (and '@' for systemd), starting with a letter or digit.",
		.offset = FIELD(services),
		.parse = param_parse_list,
		.free = param_free_list,
	},
	{
		.name = "backend",
		.type = PARAM_STRING,
		.default_value = "systemd",
		.shortdesc = "How the services are run: systemd, lsb or exec",
		.longdesc = "systemd: units started and stopped over D-Bus, status from their "
			    "ActiveState. lsb: /etc/init.d/<name> start|stop; status from the pid "
			    "file in pid_files when given (no fork), else the script's status. "
			    "exec: daemons exha starts itself from exec_commands, recorded by pid, "
			    "start time and boot id.",
		.offset = FIELD(backend),
		.parse = param_parse_choice,
		.choices = backend_choices,
	},
	{
		.name = "exec_commands",
		.type = PARAM_STRING,
		.shortdesc = "exec: one command line per service",
		.longdesc =
			"exec backend only: \"name=/absolute/program arg ...\" entries "
			"separated by ';', one for each service, e.g. \"postfix=/usr/sbin/postfix "
			"start-fg; dovecot=/usr/sbin/dovecot -F\". Arguments are split on blanks "
			"and passed as they are: there is no shell (quotes, '\\\\', '$' and '`' "
			"are refused). A program that stays in the foreground needs no pid file; "
			"one that forks needs its pid file in pid_files.",
		.offset = FIELD(exec_commands),
		.parse = parse_exec_commands,
		.free = free_exec_commands,
	},
	{
		.name = "drain_commands",
		.type = PARAM_STRING,
		.shortdesc = "Commands that close a service's listeners before its stop",
		.longdesc =
			"\"name=/absolute/program arg ...\" entries separated by ';' (as "
			"exec_commands, any backend): run just before the service's stop, so "
			"it takes no new client while its own helpers shut down. A failure is "
			"logged and the stop goes on. Dovecot: \"dovecot=/usr/bin/doveadm service "
			"stop imap-login imap pop3-login pop3\" (the services of protocols): "
			"its master closes their listeners at once; a login process it spawned "
			"for a client that arrives during the stop would otherwise wait 5 s for "
			"the stats handshake, and the master for it.",
		.offset = FIELD(drain_commands),
		.parse = parse_exec_commands,
		.free = free_exec_commands,
	},
	{
		.name = "pid_files",
		.type = PARAM_STRING,
		.shortdesc = "Pid files of the services",
		.longdesc =
			"Space-separated \"name=/absolute/path\" entries. lsb: the pid file the "
			"init script's daemon writes; with it the monitor forks nothing and "
			"stop can kill what remains of the daemon's session (Postfix: "
			"/var/spool/postfix/pid/master.pid, Dovecot: /run/dovecot/master.pid). "
			"exec: start waits until the daemon has written it.",
		.offset = FIELD(pid_files),
		.parse = param_parse_list,
		.free = param_free_list,
	},
	{
		.name = "executables",
		.type = PARAM_STRING,
		.shortdesc = "The programs the pid files name",
		.longdesc =
			"Space-separated \"name=/absolute/program\" entries: the program the "
			"process in the service's pid file runs. A pid file (on a switching disk "
			"it may come from the node that failed) counts only when the process it "
			"names runs this program, or is the one exha saw start. Default: exec, "
			"the program of exec_commands (or any process born in the session exha "
			"started it in); lsb, the DAEMON= of the init script. Postfix: "
			"postfix=/usr/lib/postfix/sbin/master.",
		.offset = FIELD(executables),
		.parse = param_parse_list,
		.free = param_free_list,
	},
	{
		.name = "stop_parallel",
		.type = PARAM_BOOLEAN,
		.default_value = "false",
		.shortdesc = "Stop the members all at once (lsb, exec)",
		.longdesc = "false: stop the members one by one in reverse order. true: all at "
			    "once, each drained, asked and killed as alone, for members that "
			    "need nothing of each other to stop, as Postfix and Dovecot: "
			    "Dovecot's master spends a second in its own stop (it signals the "
			    "children left and sleeps a second), Postfix's stop script checks "
			    "its master once a second until it is gone; in sequence a move "
			    "waits for the sum.",
		.offset = FIELD(stop_parallel),
		.parse = param_parse_bool,
	},
	{
		.name = "restart_count",
		.type = PARAM_INTEGER,
		.default_value = "1",
		.shortdesc = "In-place restarts of a service within restart_window",
		.longdesc = "When a member dies, the set's watcher (at once) or the monitor "
			    "restarts it in place (logged, with a cluster alert, counted in the "
			    "node attribute exha-restarts-<instance>) up to this many times within "
			    "restart_window; then the next monitor reports the failure and "
			    "Pacemaker recovers the group. The classic ARMLoad /R 1. 0 leaves "
			    "every failure to Pacemaker.",
		.offset = FIELD(restart_count),
		.parse = param_parse_uint,
		.min = 0,
		.max = 10,
	},
	{
		.name = "restart_window",
		.type = PARAM_INTEGER,
		.default_value = "3600",
		.shortdesc = "Seconds over which restarts are counted",
		.longdesc = "The restarts of the last restart_window seconds count against "
			    "restart_count. They are kept under /run/exha/<instance>/ across stop "
			    "and start on this node (a group restart does not refill the budget), "
			    "forgotten once the window has passed since each, at reboot, or by "
			    "removing /run/exha/<instance>/*.restarts; crm_resource --cleanup does "
			    "not clear them.",
		.offset = FIELD(restart_window),
		.parse = param_parse_uint,
		.min = 1,
		.max = 7 * 24 * 3600,
	},
	{
		.name = "probes",
		.type = PARAM_STRING,
		.shortdesc = "Protocol probes: [service=]URL ...",
		.longdesc = "Space-separated mail protocol probes (smtp://, imap://, pop3://, "
			    "each also +starttls, e.g. \"postfix=smtp://127.0.0.1:25 "
			    "dovecot=imap://127.0.0.1:143 dovecot=pop3://127.0.0.1:110\"). A probe "
			    "prefixed with a service name must pass before start goes on to the "
			    "next service (the service is really up, not just running); one "
			    "without a prefix is checked once the whole set is up. The monitor at "
			    "OCF_CHECK_LEVEL=10 runs them all.",
		.offset = FIELD(probe_list),
		.parse = param_parse_list,
		.free = param_free_list,
	},
	{
		.name = "probe_credentials",
		.type = PARAM_STRING,
		.shortdesc = "Login for the IMAP and POP3 probes (root-only file)",
		.longdesc = "A file owned by root, mode 0600 or stricter, with the lines "
			    "user=<name> and password=<secret>: the IMAP and POP3 probes then log "
			    "in. Without it they check the greeting and capabilities only.",
		.offset = FIELD(probe_credentials),
		.parse = param_parse_string,
	},
	{
		.name = "canary",
		.type = PARAM_STRING,
		.shortdesc = "Canary mailbox for the mail-flow check (local@domain)",
		.longdesc = "The address of a mailbox kept for the check (no user reads it). At "
			    "OCF_CHECK_LEVEL=canary_level the monitor sends it a tagged message "
			    "through canary_submit, waits until IMAP at canary_read shows it in "
			    "INBOX, reads its tag back and deletes it (expunged), and logs each "
			    "step's latency; a failure names the step (\"deliver: accepted by "
			    "smtp://127.0.0.1:25 (...), not in INBOX at imap://127.0.0.1:143 after "
			    "8.0 s\"). Every canary carries X-Exha-Canary: v1 <instance> <time> "
			    "<random>; each check first deletes what earlier checks of this "
			    "instance left behind (a check killed mid-way). Bounded by the "
			    "monitor's timeout; forks nothing. Run it at a long interval: see the "
			    "README.",
		.offset = FIELD(canary),
		.parse = parse_address,
	},
	{
		.name = "canary_credentials",
		.type = PARAM_STRING,
		.shortdesc = "Login of the canary mailbox (root-only file)",
		.longdesc = "A file owned by root, mode 0600 or stricter, with the lines "
			    "user=<name> and password=<secret> of the canary mailbox, as for "
			    "probe_credentials. Required with canary.",
		.offset = FIELD(canary_credentials),
		.parse = param_parse_string,
	},
	{
		.name = "canary_level",
		.type = PARAM_INTEGER,
		.default_value = "20",
		.shortdesc = "OCF_CHECK_LEVEL from which the monitor runs the canary",
		.longdesc = "A monitor operation with OCF_CHECK_LEVEL at or above this runs "
			    "the canary (after the probes, which run from level 10).",
		.offset = FIELD(canary_level),
		.parse = param_parse_uint,
		.min = 1,
		.max = 100,
	},
	{
		.name = "canary_submit",
		.type = PARAM_STRING,
		.default_value = "smtp://127.0.0.1:25",
		.shortdesc = "Where the canary is submitted (smtp:// URL)",
		.longdesc = "The SMTP server the canary goes to, as the rest of the world's "
			    "mail does: no login, MAIL FROM:<> (a canary that cannot be "
			    "delivered never bounces). smtp+starttls:// starts TLS first.",
		.offset = FIELD(canary_submit),
		.parse = parse_submit,
	},
	{
		.name = "canary_read",
		.type = PARAM_STRING,
		.default_value = "imap://127.0.0.1:143",
		.shortdesc = "Where the canary is read back (imap:// URL)",
		.longdesc = "The IMAP server the canary mailbox is read and cleaned through, "
			    "logged in with canary_credentials (cleartext only to loopback; "
			    "imap+starttls:// otherwise).",
		.offset = FIELD(canary_read),
		.parse = parse_read,
	},
};

static bool listed(const struct ss_config *c, const char *name, size_t len);

static int check_probes(struct ss_config *c, struct error *err)
{
	for (char **p = c->probe_list; p && *p; p++) {
		struct ss_probe *pr = &c->probes[c->n_probes];
		char *eq = strchr(*p, '=');
		struct error perr = {""};

		if (c->n_probes == SS_MAX_PROBES)
			return error_set(err, E2BIG, "probes lists more than %d probes",
					 SS_MAX_PROBES);
		*pr = (struct ss_probe){.url = *p};
		if (eq && strstr(*p, "://") > eq) {
			*eq = '\0'; /* the list is ours: "name=url" becomes "name" and "url" */
			pr->service = *p;
			pr->url = eq + 1;
			if (!listed(c, pr->service, strlen(pr->service)))
				return error_set(
					err, EINVAL,
					"probes entry for '%s' names no service of services",
					pr->service);
		}
		if (probe_target_parse(pr->url, &pr->target, &perr) < 0)
			return error_set(err, EINVAL, "invalid probes entry '%s': %s", pr->url,
					 perr.msg);
		c->n_probes++;
	}
	if (c->probe_credentials && c->probe_credentials[0] != '/')
		return error_set(err, EINVAL, "probe_credentials must be an absolute path");
	return 0;
}

static int check_canary(const struct ss_config *c, struct error *err)
{
	if (!c->canary)
		return 0;
	if (!c->canary_credentials)
		return error_set(err, EINVAL,
				 "canary needs canary_credentials (the mailbox's login)");
	if (c->canary_credentials[0] != '/')
		return error_set(err, EINVAL, "canary_credentials must be an absolute path");
	return 0;
}

static int check_names(struct ss_config *c, struct error *err)
{
	const char *reason;
	size_t n = strv_length(c->services);

	if (n == 0)
		return error_set(err, EINVAL, "services is empty");
	if (n > SS_MAX_SERVICES)
		return error_set(err, E2BIG, "services lists more than %d services",
				 SS_MAX_SERVICES);
	for (size_t i = 0; i < n; i++) {
		if (service_name_check(c->services[i], c->backend, &reason) < 0)
			return error_set(err, EINVAL, "invalid services entry '%s': %s",
					 c->services[i], reason);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->services[i], c->services[j]) == 0)
				return error_set(err, EINVAL, "services lists '%s' twice",
						 c->services[i]);
		c->svc[i] = (struct ss_service){.name = c->services[i]};
	}
	c->n_svc = n;
	return 0;
}

static bool listed(const struct ss_config *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->n_svc; i++)
		if (strlen(c->svc[i].name) == len && strncmp(c->svc[i].name, name, len) == 0)
			return true;
	return false;
}

/* "name=/absolute/path" entries of param, each for a listed service. */
static int check_paths(const struct ss_config *c, char **list, const char *param, struct error *err)
{
	for (char **p = list; p && *p; p++) {
		const char *eq = strchr(*p, '=');

		if (!eq || eq[1] != '/')
			return error_set(err, EINVAL,
					 "invalid %s entry '%s': must be name=/absolute/path",
					 param, *p);
		if (!listed(c, *p, (size_t)(eq - *p)))
			return error_set(err, EINVAL, "%s entry '%s' names no service of services",
					 param, *p);
	}
	if (list && c->backend == SS_BACKEND_SYSTEMD)
		return error_set(err, EINVAL, "%s does not apply to backend systemd", param);
	return 0;
}

static int check_pid_files(struct ss_config *c, struct error *err)
{
	int r = check_paths(c, c->pid_files, "pid_files", err);

	if (r == 0)
		r = check_paths(c, c->executables, "executables", err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->n_svc; i++) {
		c->svc[i].pid_file = keyval_find(c->pid_files, c->svc[i].name);
		c->svc[i].exe = keyval_find(c->executables, c->svc[i].name);
	}
	return 0;
}

static int check_exec(struct ss_config *c, struct error *err)
{
	struct cmdmap *m = c->exec_commands;

	if (c->backend != SS_BACKEND_EXEC)
		return m ? error_set(err, EINVAL, "exec_commands applies to backend exec only") : 0;
	if (!m)
		return error_set(err, EINVAL, "backend exec needs exec_commands");
	for (size_t i = 0; i < m->n; i++)
		if (!listed(c, m->cmd[i].name, strlen(m->cmd[i].name)))
			return error_set(err, EINVAL,
					 "exec_commands has a command for '%s', which services "
					 "does not list",
					 m->cmd[i].name);
	for (size_t i = 0; i < c->n_svc; i++) {
		c->svc[i].argv = cmdmap_find(m, c->svc[i].name);
		if (!c->svc[i].argv)
			return error_set(err, EINVAL, "exec_commands has no command for '%s'",
					 c->svc[i].name);
	}
	return 0;
}

static int check_drain(struct ss_config *c, struct error *err)
{
	const struct cmdmap *m = c->drain_commands;

	for (size_t i = 0; m && i < m->n; i++)
		if (!listed(c, m->cmd[i].name, strlen(m->cmd[i].name)))
			return error_set(err, EINVAL,
					 "drain_commands has a command for '%s', which services "
					 "does not list",
					 m->cmd[i].name);
	for (size_t i = 0; i < c->n_svc; i++)
		c->svc[i].drain = m ? cmdmap_find(m, c->svc[i].name) : NULL;
	return 0;
}

static int check_stop_parallel(const struct ss_config *c, struct error *err)
{
	/* Each member stops in a process of its own: no shared bus connection. */
	if (c->stop_parallel && c->backend == SS_BACKEND_SYSTEMD)
		return error_set(err, EINVAL, "stop_parallel applies to backends lsb and exec");
	return 0;
}

int ss_config_check(void *config, struct error *err)
{
	struct ss_config *c = config;
	int r;

	if ((r = check_names(c, err)) < 0 || (r = check_pid_files(c, err)) < 0 ||
	    (r = check_exec(c, err)) < 0 || (r = check_drain(c, err)) < 0 ||
	    (r = check_stop_parallel(c, err)) < 0 || (r = check_probes(c, err)) < 0 ||
	    (r = check_canary(c, err)) < 0)
		return r;
	return 0;
}
