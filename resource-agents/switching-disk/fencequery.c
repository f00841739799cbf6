/*
 * switching-disk-fence-query NODE: what the cluster says about NODE, for a
 * start that finds NODE's lease on the disk (fenceproof.h decides what it
 * proves). A program of its own, run by start as a bounded child
 * (spawn_run, under the action's deadline): the agent never links
 * libstonithd, libcib and the 33 libraries behind them, which a monitor
 * every few seconds would pay for, and a fencer or CIB that does not answer
 * is killed with the child rather than hanging the start.
 *
 * Output on stdout, one record a line, fields separated by one space, and
 * nothing else (stderr goes to /dev/null: the Pacemaker libraries may log):
 *     fence TARGET ACTION STATE COMPLETED_S COMPLETED_NS
 *         each entry of the fencer's history for NODE (STATE: enum
 *         op_state, 2 done, 4 failed; 0/1 pending)
 *     node UNAME IN_CCM CRMD JOIN EXPECTED
 *         NODE's node_state in the CIB status section ("-" when an
 *         attribute is absent); no line when there is none
 *     end
 * or "error TEXT" and exit status 1. A value with white space in it is
 * refused (exit 1) rather than printed, so the reader can split on spaces.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <crm/cib.h>
#include <crm/common/xml.h>
#include <crm/msg_xml.h>
#include <crm/stonith-ng.h>

/* Seconds each query may take: the agent's deadline kills us anyway. */
#define QUERY_TIMEOUT_S 10

static const char *word(const char *s)
{
	if (!s || !s[0])
		return "-";
	return strpbrk(s, " \t\r\n") ? NULL : s;
}

static int print_fence_history(const char *node)
{
	stonith_t *st = stonith_api_new();
	stonith_history_t *hist = NULL;
	int rc;

	if (!st) {
		printf("error cannot create a fencer connection\n");
		return -1;
	}
	rc = st->cmds->connect(st, "exha-fence-query", NULL);
	if (rc != pcmk_ok) {
		printf("error cannot connect to the fencer: %s\n", pcmk_strerror(rc));
		stonith_api_delete(st);
		return -1;
	}
	rc = st->cmds->history(st, st_opt_sync_call, node, &hist, QUERY_TIMEOUT_S);
	if (rc != pcmk_ok) {
		printf("error the fencer's history: %s\n", pcmk_strerror(rc));
	} else {
		for (stonith_history_t *h = hist; h; h = h->next) {
			const char *t = word(h->target), *a = word(h->action);

			if (!t || !a) {
				printf("error a fence history entry with white space in a name\n");
				rc = -EINVAL;
				break;
			}
			printf("fence %s %s %d %lld %ld\n", t, a, h->state, (long long)h->completed,
			       h->completed_nsec);
		}
	}
	stonith_history_free(hist);
	st->cmds->disconnect(st);
	stonith_api_delete(st);
	return rc == pcmk_ok ? 0 : -1;
}

static int print_node_state(const xmlNode *status, const char *node)
{
	for (xmlNode *n = first_named_child(status, XML_CIB_TAG_STATE); n;
	     n = crm_next_same_xml(n)) {
		const char *uname = crm_element_value(n, XML_ATTR_UNAME), *v[4];

		if (!uname || strcmp(uname, node) != 0)
			continue;
		v[0] = word(crm_element_value(n, XML_NODE_IN_CLUSTER));
		v[1] = word(crm_element_value(n, XML_NODE_IS_PEER));
		v[2] = word(crm_element_value(n, XML_NODE_JOIN_STATE));
		v[3] = word(crm_element_value(n, XML_NODE_EXPECTED));
		if (!v[0] || !v[1] || !v[2] || !v[3]) {
			printf("error node_state of '%s' with white space in a value\n", node);
			return -1;
		}
		printf("node %s %s %s %s %s\n", uname, v[0], v[1], v[2], v[3]);
		return 0;
	}
	return 0;
}

static int print_membership(const char *node)
{
	cib_t *cib = cib_new();
	xmlNode *status = NULL;
	int rc;

	if (!cib) {
		printf("error cannot create a CIB connection\n");
		return -1;
	}
	cib->call_timeout = QUERY_TIMEOUT_S;
	rc = cib->cmds->signon(cib, "exha-fence-query", cib_query);
	if (rc != pcmk_ok) {
		printf("error cannot connect to the CIB: %s\n", pcmk_strerror(rc));
		cib_delete(cib);
		return -1;
	}
	rc = cib->cmds->query(cib, XML_CIB_TAG_STATUS, &status, cib_sync_call);
	if (rc != pcmk_ok || !status)
		printf("error cannot read the CIB status: %s\n", pcmk_strerror(rc));
	else
		rc = print_node_state(status, node);
	free_xml(status);
	cib->cmds->signoff(cib);
	cib_delete(cib);
	return rc == pcmk_ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || dup2(fd, STDERR_FILENO) < 0) {
		printf("error cannot silence stderr\n");
		return 1;
	}
	close(fd);
	if (argc != 2 || !argv[1][0] || !word(argv[1])) {
		printf("error usage: switching-disk-fence-query NODE\n");
		return 1;
	}
	/* The fence history first: a join after it then shows in node_state. */
	if (print_fence_history(argv[1]) < 0 || print_membership(argv[1]) < 0)
		return 1;
	printf("end\n");
	return fflush(stdout) == 0 ? 0 : 1;
}
