/*
 * exha-timeline's pure logic on CIBs: three real ones (pe-input files of
 * test clusters' DCs after the active node was lost and fenced, with the
 * stock group and with the exha group, and during the shutdown that
 * followed: tests/unit/timeline/) and small hand-made
 * status sections for what those do not hold (failed operations, restarts
 * in place, malformed records). The fencer's entries are given as the
 * fencer reported them in that cluster's log.
 */
#include <errno.h>
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_common.h"
#include "timeline.h"

/* The Makefile gives the absolute path; this one works from tests/. */
#ifndef FIXTURES
#define FIXTURES "unit/timeline"
#endif

/* In that cluster: node1 rebooted node2 at 23:54:02.831 UTC. */
#define FENCE_S	 1796601242
#define FENCE_NS 831000000L

static struct tl *load_doc(xmlDoc *doc)
{
	struct tl *tl = tl_new();

	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_nonnull(tl);
	ck_assert_int_eq(tl_add_cib(tl, xmlDocGetRootElement(doc)), 0);
	xmlFreeDoc(doc);
	return tl;
}

static struct tl *load_file(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	return load_doc(xmlReadFile(path, NULL, XML_PARSE_NONET));
}

static xmlDoc *parse(const char *xml)
{
	return xmlReadMemory(xml, (int)strlen(xml), "cib.xml", NULL, XML_PARSE_NONET);
}

static int add_xml(struct tl *tl, const char *xml)
{
	xmlDoc *doc = parse(xml);
	int r;

	ck_assert_ptr_nonnull(doc);
	r = tl_add_cib(tl, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	return r;
}

static void add_fence(struct tl *tl, const char *target, const char *action, int state)
{
	struct tl_fence f = {.target = target,
			     .action = action,
			     .origin = "node1",
			     .delegate = "node1",
			     .state = state,
			     .completed_s = FENCE_S,
			     .completed_ns = FENCE_NS};

	ck_assert_int_eq(tl_add_fence(tl, &f), 0);
}

static const struct tl_event *find(const struct tl *tl, const char *node, const char *rsc,
				   const char *action)
{
	size_t i;

	for (i = 0; i < tl->n_events; i++) {
		const struct tl_event *e = &tl->events[i];

		if (strcmp(e->node, node) == 0 && strcmp(e->action, action) == 0 &&
		    (!rsc || (e->rsc && strcmp(e->rsc, rsc) == 0)))
			return e;
	}
	return NULL;
}

/* Run out through print into a string the caller frees. */
static char *render(int (*print)(FILE *, const struct tl *, const char *, int64_t),
		    const struct tl *tl, const char *group, int64_t since)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(print(f, tl, group, since), 0);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* python3 -m json.tool accepts it. */
static bool json_valid(const char *json)
{
	FILE *p = popen("python3 -m json.tool >/dev/null 2>&1", "w");

	ck_assert_ptr_nonnull(p);
	fputs(json, p);
	return pclose(p) == 0;
}

START_TEST(test_groups_come_in_start_order)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	const struct tl_group *g = tl_group_find(tl, "mail");

	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(g->members[0], "fip");
	ck_assert_str_eq(g->members[1], "disk");
	ck_assert_str_eq(g->members[2], "smtp");
	ck_assert_str_eq(g->members[3], "imap");
	ck_assert_ptr_null(g->members[4]);
	ck_assert_ptr_null(tl_group_find(tl, "link-clone"));
	ck_assert_uint_eq(tl->n_nodes, 2);
	ck_assert(tl->nodes[0].member && tl->nodes[0].online);
	tl_free(tl);
}
END_TEST

START_TEST(test_probes_and_good_monitors_are_not_events)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	size_t i;

	for (i = 0; i < tl->n_events; i++)
		ck_assert_str_ne(tl->events[i].action, "monitor");
	/* Seven starts: fence, fip, disk, smtp, imap, link on node1; link on node2. */
	ck_assert_uint_eq(tl->n_events, 7);
	tl_free(tl);
}
END_TEST

START_TEST(test_operation_time_is_when_it_began_and_end_adds_exec_time)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	const struct tl_event *e = find(tl, "node1", "smtp", "start");

	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->t_ms, 1796601243000LL);
	ck_assert_int_eq(e->end_ms, 1796601243000LL + 3015);
	ck_assert_uint_eq(e->exec_ms, 3015);
	ck_assert(!e->fault);
	tl_free(tl);
}
END_TEST

START_TEST(test_node_loss_gap_runs_from_the_fence_to_the_last_members_start)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	struct tl_gap gap;

	add_fence(tl, "node2", "reboot", 2);
	tl_sort(tl);
	gap = tl_group_gap(tl, tl_group_find(tl, "mail"), INT64_MIN);
	ck_assert_ptr_nonnull(gap.from);
	ck_assert_int_eq(gap.from->kind, TL_FENCE);
	ck_assert_ptr_nonnull(gap.to);
	ck_assert_str_eq(gap.to->rsc, "imap");
	/* The fence ended at 02.831. The starts, one after the other: disk
	 * 03.000-03.268, smtp 03.268-06.283, imap (began in second 06, after
	 * smtp's end) 06.283-07.430. The log had imap's end at 07.595. */
	ck_assert_int_eq(gap.ms, 1796601247430LL - 1796601242831LL);
	tl_free(tl);
}
END_TEST

START_TEST(test_exha_group_gap_after_node_loss_ends_with_the_directory_fixup)
{
	struct tl *tl = load_file("node-loss-exha.xml");
	struct tl_fence f = {.target = "node2",
			     .action = "reboot",
			     .delegate = "node1",
			     .state = 2,
			     .completed_s = 1796602730,
			     .completed_ns = 863000000L};
	struct tl_gap gap;
	char *out;

	/* The drill's node loss: node1 fenced node2 at 00:18:50.863; the client
	 * had the service again 9556 ms after the power cut, 6810 ms after the
	 * fence. fip 50.000-50.319, disk 51.000-56.285, services 56.285-57.363,
	 * dir 57.363-57.426. */
	ck_assert_int_eq(tl_add_fence(tl, &f), 0);
	tl_sort(tl);
	gap = tl_group_gap(tl, tl_group_find(tl, "mail"), 1796602728000LL);
	ck_assert_ptr_nonnull(gap.from);
	ck_assert_int_eq(gap.from->kind, TL_FENCE);
	ck_assert_ptr_nonnull(gap.to);
	ck_assert_str_eq(gap.to->rsc, "dir");
	ck_assert_int_eq(gap.ms, 1796602737426LL - 1796602730863LL);
	out = render(tl_print_text, tl, "mail", 1796602728000LL);
	ck_assert_ptr_nonnull(strstr(out, "group mail: fip disk services dir"));
	ck_assert_ptr_nonnull(strstr(out, "gap: 6.6 s, from node2 fenced (reboot)"));
	free(out);
	tl_free(tl);
}
END_TEST

START_TEST(test_a_start_in_the_faults_second_counts)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	struct tl_fence f = {.target = "node2",
			     .action = "off",
			     .state = 2,
			     .completed_s = 1796601246,
			     .completed_ns = 500000000L};
	struct tl_gap gap;

	/* imap's start began in second 1246: maybe after the fence at 1246.5. */
	ck_assert_int_eq(tl_add_fence(tl, &f), 0);
	tl_sort(tl);
	gap = tl_group_gap(tl, tl_group_find(tl, "mail"), INT64_MIN);
	ck_assert_ptr_nonnull(gap.to);
	ck_assert_str_eq(gap.to->rsc, "imap");
	ck_assert_int_eq(gap.ms, 647);
	tl_free(tl);
}
END_TEST

START_TEST(test_events_are_ordered_by_time_then_call)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	size_t i;

	add_fence(tl, "node2", "reboot", 2);
	tl_sort(tl);
	for (i = 1; i < tl->n_events; i++)
		ck_assert_int_le(tl->events[i - 1].t_ms / 1000, tl->events[i].t_ms / 1000);
	/* In second 1242: the fencing first, then the fence device's start
	 * (call 29) and fip's (call 31). */
	ck_assert_int_eq(tl->events[1].kind, TL_FENCE);
	ck_assert_str_eq(tl->events[2].rsc, "fence");
	ck_assert_str_eq(tl->events[3].rsc, "fip");
	tl_free(tl);
}
END_TEST

START_TEST(test_a_member_stopped_since_the_fault_leaves_the_gap_open)
{
	struct tl *tl = load_file("stopping-stock.xml");
	struct tl_gap gap;

	add_fence(tl, "node2", "reboot", 2);
	tl_sort(tl);
	gap = tl_group_gap(tl, tl_group_find(tl, "mail"), INT64_MIN);
	ck_assert_ptr_nonnull(gap.from);
	ck_assert_ptr_null(gap.to);
	tl_free(tl);
}
END_TEST

START_TEST(test_no_fault_no_gap)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	struct tl_gap gap;

	tl_sort(tl);
	gap = tl_group_gap(tl, tl_group_find(tl, "mail"), INT64_MIN);
	ck_assert_ptr_null(gap.from);
	ck_assert_ptr_null(gap.to);
	tl_free(tl);
}
END_TEST

START_TEST(test_since_leaves_earlier_faults_out)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	struct tl_gap gap;

	add_fence(tl, "node2", "reboot", 2);
	tl_sort(tl);
	gap = tl_group_gap(tl, tl_group_find(tl, "mail"), (int64_t)(FENCE_S + 1) * 1000);
	ck_assert_ptr_null(gap.from);
	tl_free(tl);
}
END_TEST

#define OP(id, op, call, rc, st, iv, t, ex, key, extra)                                            \
	"<lrm_rsc_op id=\"" id "\" operation=\"" op "\" call-id=\"" call "\" rc-code=\"" rc        \
	"\" op-status=\"" st "\" interval=\"" iv "\" last-rc-change=\"" t "\" exec-time=\"" ex     \
	"\" queue-time=\"0\" transition-key=\"" key "\" " extra "/>"

/* A restart in place: services' monitor fails; only services stops and starts. */
// clang-format off
static const char restart_cib[] =
	"<cib><configuration><resources><group id=\"mail\">"
	"<primitive id=\"fip\"/><primitive id=\"disk\"/><primitive id=\"services\"/>"
	"</group></resources></configuration><status>"
	"<node_state uname=\"node1\" in_ccm=\"true\" crmd=\"online\" join=\"member\"><lrm>"
	"<lrm_resources><lrm_resource id=\"fip\">"
	OP("fip_last_0", "start", "5", "0", "0", "0", "1000", "40", "1:1:0:u", "")
	"</lrm_resource><lrm_resource id=\"disk\">"
	OP("disk_last_0", "start", "6", "0", "0", "0", "1000", "300", "2:1:0:u", "")
	"</lrm_resource><lrm_resource id=\"services\">"
	OP("services_last_0", "start", "12", "0", "0", "0", "1103", "2500", "9:3:0:u", "")
	OP("services_last_failure_0", "monitor", "9", "7", "0", "2000", "1100", "20", "4:1:0:u",
	   "exit-reason=\"postfix: &quot;master&quot; gone&#10;\"")
	OP("services_monitor_2000", "monitor", "9", "7", "0", "2000", "1100", "20", "4:1:0:u", "")
	"</lrm_resource></lrm_resources></lrm></node_state></status></cib>";
// clang-format on

START_TEST(test_a_failed_monitor_is_one_fault_with_its_reason)
{
	struct tl *tl = tl_new();
	const struct tl_event *e;
	size_t i, n = 0;

	ck_assert_int_eq(add_xml(tl, restart_cib), 0);
	for (i = 0; i < tl->n_events; i++)
		n += tl->events[i].fault;
	ck_assert_uint_eq(n, 1);
	e = find(tl, "node1", "services", "monitor");
	ck_assert_ptr_nonnull(e);
	ck_assert(e->fault);
	ck_assert_int_eq(e->rc, 7);
	ck_assert_uint_eq(e->interval_ms, 2000);
	ck_assert_str_eq(e->reason, "postfix: \"master\" gone\n");
	tl_free(tl);
}
END_TEST

START_TEST(test_restart_in_place_gap_ends_at_the_restarted_members_start)
{
	struct tl *tl = tl_new();
	struct tl_gap gap;

	ck_assert_int_eq(add_xml(tl, restart_cib), 0);
	tl_sort(tl);
	gap = tl_group_gap(tl, tl_group_find(tl, "mail"), INT64_MIN);
	ck_assert_ptr_nonnull(gap.from);
	ck_assert_str_eq(gap.from->rsc, "services");
	ck_assert_ptr_nonnull(gap.to);
	ck_assert_str_eq(gap.to->rsc, "services");
	ck_assert_int_eq(gap.ms, 1103000 + 2500 - (1100000 + 20));
	tl_free(tl);
}
END_TEST

static const char *status_with(const char *op)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf),
		 "<cib><status><node_state uname=\"n1\"><lrm><lrm_resources>"
		 "<lrm_resource id=\"r\">%s</lrm_resource></lrm_resources></lrm></node_state>"
		 "</status></cib>",
		 op);
	return buf;
}

START_TEST(test_results_the_transition_did_not_expect_are_faults)
{
	struct tl *tl = tl_new();

	/* A stop that timed out; a start that returned 1; a probe that found it running. */
	ck_assert_int_eq(add_xml(tl, status_with(OP("r_a", "stop", "3", "0", "2", "0", "50",
						    "20000", "1:1:0:u", ""))),
			 0);
	ck_assert_int_eq(add_xml(tl, status_with(OP("r_b", "start", "4", "1", "0", "0", "60", "5",
						    "1:2:0:u", ""))),
			 0);
	ck_assert_int_eq(add_xml(tl, status_with(OP("r_c", "monitor", "5", "0", "0", "0", "70", "5",
						    "1:3:7:u", ""))),
			 0);
	ck_assert_uint_eq(tl->n_events, 2);
	ck_assert(find(tl, "n1", "r", "stop")->fault);
	ck_assert(find(tl, "n1", "r", "start")->fault);
	tl_free(tl);
}
END_TEST

START_TEST(test_malformed_operations_are_refused)
{
	static const char *const bad[] = {
		OP("r_a", "start", "3", "x", "0", "0", "50", "20", "1:1:0:u", ""),
		OP("r_a", "start", "3", "0", "0", "0", "50x", "20", "1:1:0:u", ""),
		OP("r_a", "start", "3", "0", "0", "0", "", "20", "1:1:0:u", ""),
		OP("r_a", "start", "3", "0", "0", "-5", "50", "20", "1:1:0:u", ""),
		OP("r_a", "start", "3", "0", "0", "0", "50", "-20", "1:1:0:u", ""),
		"<lrm_rsc_op id=\"r_a\" call-id=\"3\" rc-code=\"0\" op-status=\"0\" interval=\"0\" "
		"last-rc-change=\"50\"/>",
		"<lrm_rsc_op id=\"r_a\" operation=\"start\" call-id=\"3\" op-status=\"0\" "
		"interval=\"0\" last-rc-change=\"50\"/>",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct tl *tl = tl_new();

		ck_assert_msg(add_xml(tl, status_with(bad[i])) == -EBADMSG, "%s", bad[i]);
		tl_free(tl);
	}
}
END_TEST

#define NV(name, value) "<nvpair id=\"status-" name "\" name=\"" name "\" value=\"" value "\"/>"

/*
 * service-set's in-place restarts as the status section holds them: the
 * node attributes exha-restarted-<instance> ("<epoch ms> <member>") and
 * exha-restarts-<instance> (the count), beside other attributes and
 * values that do not parse. services' start is long before the restart.
 */
// clang-format off
static const char restarted_cib[] =
	"<cib><configuration><resources><group id=\"mail\">"
	"<primitive id=\"fip\"/><primitive id=\"services\"/></group>"
	"<group id=\"web\"><primitive id=\"httpd\"/></group>"
	"<primitive id=\"lonely\"/></resources></configuration><status>"
	"<node_state uname=\"node1\" in_ccm=\"true\" crmd=\"online\" join=\"member\"><lrm>"
	"<lrm_resources><lrm_resource id=\"services\">"
	OP("services_last_0", "start", "12", "0", "0", "0", "1796601000", "900", "9:3:0:u", "")
	"</lrm_resource></lrm_resources></lrm>"
	"<transient_attributes id=\"1\"><instance_attributes id=\"status-1\">"
	NV("master-other", "5")
	NV("exha-restarts-services", "3")
	NV("exha-restarted-services", "1796601250123 postfix")
	NV("exha-restarted-lonely", "1796601251000 nginx")
	NV("exha-restarts-nowhere", "2")
	NV("exha-restarted-", "1796601250000 postfix")
	NV("exha-restarted-bad1", "abc postfix")
	NV("exha-restarted-bad2", "1796601250123")
	NV("exha-restarted-bad3", "1796601250123 ")
	NV("exha-restarted-bad4", "-5 postfix")
	NV("exha-restarted-bad5", "0 postfix")
	NV("exha-restarted-bad6", "1796601250123 two words")
	NV("exha-restarted-bad7", " 1796601250123 postfix")
	NV("exha-restarted-bad8", "")
	NV("exha-restarted-bad9", "99999999999999999999999 postfix")
	"</instance_attributes></transient_attributes></node_state>"
	"<node_state uname=\"node2\" in_ccm=\"true\" crmd=\"online\" join=\"member\">"
	"<transient_attributes id=\"2\"><instance_attributes id=\"status-2\">"
	NV("exha-restarts-services:1", "x")
	NV("exha-restarted-services:1", "1796601260000 dovecot")
	"</instance_attributes></transient_attributes></node_state></status></cib>";
// clang-format on

static size_t restarts_in(const struct tl *tl)
{
	size_t i, n = 0;

	for (i = 0; i < tl->n_events; i++)
		n += tl->events[i].kind == TL_RESTART;
	return n;
}

START_TEST(test_in_place_restarts_come_from_the_node_attributes)
{
	struct tl *tl = tl_new();
	const struct tl_event *e;

	ck_assert_int_eq(add_xml(tl, restarted_cib), 0);
	/* services and lonely on node1, services:1 on node2; nothing malformed. */
	ck_assert_uint_eq(restarts_in(tl), 3);
	e = find(tl, "node1", "services", "restart in place");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, TL_RESTART);
	ck_assert_int_eq(e->t_ms, 1796601250123LL);
	ck_assert_int_eq(e->end_ms, e->t_ms);
	ck_assert_str_eq(e->member, "postfix");
	ck_assert_int_eq(e->restarts, 3);
	ck_assert(!e->fault);
	/* A clone's instance; a count that does not parse is unknown. */
	e = find(tl, "node2", "services:1", "restart in place");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->member, "dovecot");
	ck_assert_int_eq(e->restarts, -1);
	ck_assert(tl_event_in_group(e, tl_group_find(tl, "mail")));
	ck_assert(!tl_event_in_group(e, tl_group_find(tl, "web")));
	tl_free(tl);
}
END_TEST

START_TEST(test_malformed_restart_attributes_are_left_out)
{
	static const char *const bad[] = {
		"abc postfix",
		"1796601250123",
		"1796601250123 ",
		"-5 postfix",
		"0 postfix",
		"1796601250123 a b",
		" 1 postfix",
		"",
		"1796601250123&#9;postfix",
		"+5 postfix",
		"5  postfix",
	};
	char xml[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct tl *tl = tl_new();

		snprintf(xml, sizeof(xml),
			 "<cib><status><node_state uname=\"n1\"><transient_attributes>"
			 "<instance_attributes>" NV(
				 "exha-restarted-r",
				 "%s") "</instance_attributes></transient_attributes></"
				       "node_state></status></cib>",
			 bad[i]);
		ck_assert_int_eq(add_xml(tl, xml), 0);
		ck_assert_msg(restarts_in(tl) == 0, "'%s'", bad[i]);
		tl_free(tl);
	}
}
END_TEST

START_TEST(test_an_in_place_restart_opens_no_gap)
{
	struct tl *tl = tl_new();
	struct tl_gap gap;

	ck_assert_int_eq(add_xml(tl, restarted_cib), 0);
	tl_sort(tl);
	gap = tl_group_gap(tl, tl_group_find(tl, "mail"), INT64_MIN);
	ck_assert_ptr_null(gap.from);
	/* Ordered by its milliseconds among the others. */
	ck_assert_int_eq(tl->events[0].kind, TL_OP);
	ck_assert_str_eq(tl->events[1].rsc, "services");
	ck_assert_str_eq(tl->events[2].rsc, "lonely");
	ck_assert_str_eq(tl->events[3].rsc, "services:1");
	tl_free(tl);
}
END_TEST

START_TEST(test_text_and_json_show_in_place_restarts_in_their_group)
{
	struct tl *tl = tl_new();
	char *out;

	ck_assert_int_eq(add_xml(tl, restarted_cib), 0);
	tl_sort(tl);
	out = render(tl_print_text, tl, "mail", INT64_MIN);
	ck_assert_ptr_nonnull(strstr(out, "restart in place"));
	ck_assert_ptr_nonnull(strstr(out, "postfix restarted"));
	ck_assert_ptr_nonnull(strstr(out, "(in-place restart 3 of the set on this node)"));
	ck_assert_ptr_nonnull(strstr(out, "dovecot restarted"));
	ck_assert_ptr_null(strstr(out, "nginx"));
	ck_assert_ptr_nonnull(strstr(out, "no fault in these records"));
	free(out);
	out = render(tl_print_text, tl, "web", INT64_MIN);
	ck_assert_ptr_null(strstr(out, "restart in place"));
	free(out);
	/* --since: node2's restart only. */
	out = render(tl_print_text, tl, "mail", 1796601255000LL);
	ck_assert_ptr_null(strstr(out, "postfix restarted"));
	ck_assert_ptr_nonnull(strstr(out, "dovecot restarted"));
	free(out);
	/* Outside any group, as operations are. */
	out = render(tl_print_text, tl, NULL, INT64_MIN);
	ck_assert_ptr_nonnull(strstr(out, "nginx restarted"));
	free(out);
	out = render(tl_print_json, tl, NULL, INT64_MIN);
	ck_assert(json_valid(out));
	ck_assert_ptr_nonnull(strstr(
		out,
		"{\"type\": \"restart\", \"time\": \"2026-12-06T23:54:10.123Z\", \"epoch_ms\": "
		"1796601250123, \"end_ms\": 1796601250123, \"node\": \"node1\", \"resource\": "
		"\"services\", \"action\": \"restart in place\", \"result\": \"postfix "
		"restarted\", \"fault\": false, \"member\": \"postfix\", \"restarts\": 3"));
	ck_assert_ptr_nonnull(strstr(out, "\"member\": \"dovecot\", \"restarts\": null"));
	ck_assert_ptr_nonnull(strstr(out, "\"other\": [\n  {\"type\": \"restart\""));
	free(out);
	tl_free(tl);
}
END_TEST

START_TEST(test_a_cib_without_status_is_refused)
{
	struct tl *tl = tl_new();

	ck_assert_int_eq(add_xml(tl, "<cib><configuration/></cib>"), -EBADMSG);
	ck_assert_int_eq(tl_add_cib(tl, NULL), -EINVAL);
	tl_free(tl);
}
END_TEST

START_TEST(test_fencing_counts_only_when_done_and_only_off_or_reboot_is_a_fault)
{
	struct tl *tl = tl_new();
	struct tl_fence bad = {.target = "n2", .action = "off", .completed_ns = 1000000000L};

	add_fence(tl, "n2", "off", 0); /* st_query: still asking */
	add_fence(tl, "n2", "reboot", 1);
	ck_assert_uint_eq(tl->n_events, 0);
	add_fence(tl, "n2", "reboot", 4); /* st_failed */
	add_fence(tl, "n2", "on", 2);
	add_fence(tl, "n2", "off", 2);
	ck_assert_uint_eq(tl->n_events, 3);
	ck_assert(!tl->events[0].fault);
	ck_assert(!tl->events[1].fault);
	ck_assert(tl->events[2].fault);
	ck_assert_int_eq(tl->events[2].t_ms, FENCE_S * 1000LL + 831);
	ck_assert_str_eq(tl->events[2].by, "node1");
	ck_assert_int_eq(tl_add_fence(tl, &bad), -EINVAL);
	bad.completed_ns = 0;
	bad.target = NULL;
	ck_assert_int_eq(tl_add_fence(tl, &bad), -EINVAL);
	tl_free(tl);
}
END_TEST

START_TEST(test_clone_instances_belong_to_their_group_and_prefixes_do_not)
{
	struct tl_group g = {.name = (char *)"mail",
			     .members = (char *[]){(char *)"fip", (char *)"disk", NULL}};
	struct tl_event op = {.kind = TL_OP, .rsc = (char *)"fip:1"};
	struct tl_event other = {.kind = TL_OP, .rsc = (char *)"fipx"};
	struct tl_event fence = {.kind = TL_FENCE};

	ck_assert(tl_event_in_group(&op, &g));
	ck_assert(!tl_event_in_group(&other, &g));
	ck_assert(tl_event_in_group(&fence, &g));
}
END_TEST

START_TEST(test_text_shows_each_start_the_fence_and_the_gap)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	char *out;

	add_fence(tl, "node2", "reboot", 2);
	tl_sort(tl);
	out = render(tl_print_text, tl, "mail", INT64_MIN);
	ck_assert_ptr_nonnull(strstr(out, "group mail: fip disk smtp imap"));
	ck_assert_ptr_nonnull(strstr(out, "fence reboot"));
	ck_assert_ptr_nonnull(strstr(out, " by node1"));
	ck_assert_ptr_nonnull(strstr(out, "gap: 4.6 s, from node2 fenced (reboot)"));
	ck_assert_ptr_nonnull(strstr(out, "to imap start done on node1"));
	/* --group: the ungrouped clone is not shown. */
	ck_assert_ptr_null(strstr(out, "link"));
	free(out);
	out = render(tl_print_text, tl, NULL, INT64_MIN);
	ck_assert_ptr_nonnull(strstr(out, "outside any group:"));
	free(out);
	tl_free(tl);
}
END_TEST

START_TEST(test_json_is_valid_and_carries_the_gap)
{
	struct tl *tl = tl_new();
	char *out;

	ck_assert_int_eq(add_xml(tl, restart_cib), 0);
	add_fence(tl, "node\"2\n", "reboot", 4);
	tl_sort(tl);
	out = render(tl_print_json, tl, NULL, INT64_MIN);
	ck_assert_msg(json_valid(out), "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "\"gap\": {\"ms\": 5480"));
	ck_assert_ptr_nonnull(strstr(out, "\"since\": null"));
	free(out);
	out = render(tl_print_json, tl, "mail", 1102000);
	ck_assert_msg(json_valid(out), "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "\"since\": \"1970-01-01T00:18:22.000Z\""));
	ck_assert_ptr_nonnull(strstr(out, "\"gap\": {\"ms\": null, \"from\": null"));
	free(out);
	tl_free(tl);
	tl = load_file("node-loss-stock.xml");
	add_fence(tl, "node2", "reboot", 2);
	tl_sort(tl);
	out = render(tl_print_json, tl, NULL, INT64_MIN);
	ck_assert_msg(json_valid(out), "%s", out);
	ck_assert_ptr_nonnull(
		strstr(out, "\"gap\": {\"ms\": 4599, \"from\": {\"type\": \"fence\""));
	free(out);
	tl_free(tl);
}
END_TEST

START_TEST(test_an_unknown_group_is_an_error)
{
	struct tl *tl = load_file("node-loss-stock.xml");
	FILE *f = fopen("/dev/null", "w");

	ck_assert_int_eq(tl_print_text(f, tl, "nope", INT64_MIN), -ENOENT);
	ck_assert_int_eq(tl_print_json(f, tl, "nope", INT64_MIN), -ENOENT);
	fclose(f);
	tl_free(tl);
}
END_TEST

START_TEST(test_since_takes_iso_8601_and_spans)
{
	const int64_t now = 1796601242831LL;
	int64_t v;

	ck_assert_int_eq(tl_parse_since("2026-12-06T23:54:02Z", now, &v), 0);
	ck_assert_int_eq(v, 1796601242000LL);
	ck_assert_int_eq(tl_parse_since("2026-12-06 23:54:02.831Z", now, &v), 0);
	ck_assert_int_eq(v, 1796601242831LL);
	ck_assert_int_eq(tl_parse_since("2026-12-07T01:54:02+02:00", now, &v), 0);
	ck_assert_int_eq(v, 1796601242000LL);
	ck_assert_int_eq(tl_parse_since("2026-12-06T22:54-0100", now, &v), 0);
	ck_assert_int_eq(v, 1796601240000LL);
	ck_assert_int_eq(tl_parse_since("2026-12-06Z", now, &v), 0);
	ck_assert_int_eq(v, 1796601240000LL - (23 * 3600 + 54 * 60) * 1000LL);
	ck_assert_int_eq(tl_parse_since("10m", now, &v), 0);
	ck_assert_int_eq(v, now - 600000);
	ck_assert_int_eq(tl_parse_since("2h", now, &v), 0);
	ck_assert_int_eq(v, now - 7200000);
	ck_assert_int_eq(tl_parse_since("30s", now, &v), 0);
	ck_assert_int_eq(v, now - 30000);
	ck_assert_int_eq(tl_parse_since("1d", now, &v), 0);
	ck_assert_int_eq(v, now - 86400000);
}
END_TEST

START_TEST(test_since_refuses_what_it_cannot_read_whole)
{
	static const char *const bad[] = {
		"",
		"10",
		"m",
		"10x",
		"10mm",
		"-10m",
		"2026-02-31T00:00Z",
		"2026-13-01T00:00Z",
		"2026-12-06T24:00Z",
		"2026-12-06T23:5Z",
		"2026-12-06T23:54:02Zjunk",
		"2026-12-06T23:54:02+25:00",
		"2026-12-06T23:54:02.Z",
		"1969-12-31T23:59:59Z",
		"99999999999999999999s",
	};
	int64_t v = 42;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(tl_parse_since(bad[i], 0, &v) == -EINVAL, "'%s'", bad[i]);
	ck_assert_int_eq(v, 42);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("timeline");

	ADD_CASE(s, test_groups_come_in_start_order, 10);
	ADD_CASE(s, test_probes_and_good_monitors_are_not_events, 10);
	ADD_CASE(s, test_operation_time_is_when_it_began_and_end_adds_exec_time, 10);
	ADD_CASE(s, test_node_loss_gap_runs_from_the_fence_to_the_last_members_start, 10);
	ADD_CASE(s, test_exha_group_gap_after_node_loss_ends_with_the_directory_fixup, 10);
	ADD_CASE(s, test_a_start_in_the_faults_second_counts, 10);
	ADD_CASE(s, test_events_are_ordered_by_time_then_call, 10);
	ADD_CASE(s, test_a_member_stopped_since_the_fault_leaves_the_gap_open, 10);
	ADD_CASE(s, test_no_fault_no_gap, 10);
	ADD_CASE(s, test_since_leaves_earlier_faults_out, 10);
	ADD_CASE(s, test_a_failed_monitor_is_one_fault_with_its_reason, 10);
	ADD_CASE(s, test_restart_in_place_gap_ends_at_the_restarted_members_start, 10);
	ADD_CASE(s, test_results_the_transition_did_not_expect_are_faults, 10);
	ADD_CASE(s, test_malformed_operations_are_refused, 10);
	ADD_CASE(s, test_in_place_restarts_come_from_the_node_attributes, 10);
	ADD_CASE(s, test_malformed_restart_attributes_are_left_out, 10);
	ADD_CASE(s, test_an_in_place_restart_opens_no_gap, 10);
	ADD_CASE(s, test_text_and_json_show_in_place_restarts_in_their_group, 20);
	ADD_CASE(s, test_a_cib_without_status_is_refused, 10);
	ADD_CASE(s, test_fencing_counts_only_when_done_and_only_off_or_reboot_is_a_fault, 10);
	ADD_CASE(s, test_clone_instances_belong_to_their_group_and_prefixes_do_not, 10);
	ADD_CASE(s, test_text_shows_each_start_the_fence_and_the_gap, 10);
	ADD_CASE(s, test_json_is_valid_and_carries_the_gap, 20);
	ADD_CASE(s, test_an_unknown_group_is_an_error, 10);
	ADD_CASE(s, test_since_takes_iso_8601_and_spans, 10);
	ADD_CASE(s, test_since_refuses_what_it_cannot_read_whole, 10);
	return check_run(s);
}
