/*
 * switching-disk's fencing proof: the query's answer read strictly, and the
 * decision that lets a start take a lease without watching. Every refusal
 * the proof rests on has a case: an old fence followed by a rejoin, a fence
 * of another node, a failed or pending fence, a record renewed after the
 * fence, and answers cut short or malformed.
 */
#include <errno.h>

#include "check_common.h"
#include "fenceproof.h"

/* node2's record, last renewed at 1000.000 s; the fence below completes at 1002.5 s. */
static struct lease_rec rec_of(const char *owner, uint64_t renewed_ms)
{
	struct lease_rec r = {
		.generation = 7, .renewed_ms = renewed_ms, .timeout_ms = 5000, .state = LEASE_HELD};

	snprintf(r.owner, sizeof(r.owner), "%s", owner);
	return r;
}

#define FENCED	 "fence node2 reboot 2 1002 500000000\n"
#define NODE_OUT "node node2 false offline down down\n"

/* Parse text about node2 and decide for node1 on node2's record. */
static enum fenceproof_verdict verdict(const char *text)
{
	struct fenceproof_evidence ev;
	struct lease_rec rec = rec_of("node2", 1000000);

	ck_assert_int_eq(fenceproof_parse(text, "node2", &ev, NULL), 0);
	return fenceproof_decide(&rec, "node1", &ev);
}

START_TEST(test_a_fenced_holder_that_stayed_out_is_proven_dead)
{
	struct fenceproof_evidence ev;

	ck_assert_int_eq(verdict(FENCED NODE_OUT "end\n"), FENCEPROOF_DEAD);
	ck_assert_int_eq(fenceproof_parse(FENCED NODE_OUT "end\n", "node2", &ev, NULL), 0);
	ck_assert_uint_eq(ev.fenced_ms, 1002500);
	ck_assert_str_eq(ev.fenced_action, "reboot");
	ck_assert_int_eq(verdict("fence node2 off 2 1002 0\n" NODE_OUT "end\n"), FENCEPROOF_DEAD);
}
END_TEST

START_TEST(test_an_old_fence_followed_by_a_rejoin_proves_nothing)
{
	/* Fenced, joined again (expected back to member), now lost again, unfenced. */
	ck_assert_int_eq(verdict(FENCED "node node2 false offline down member\nend\n"),
			 FENCEPROOF_MEMBER);
	/* Fenced and back as a member. */
	ck_assert_int_eq(verdict(FENCED "node node2 true online member member\nend\n"),
			 FENCEPROOF_MEMBER);
	/* Back in corosync, the controller not yet. */
	ck_assert_int_eq(verdict(FENCED "node node2 true offline down down\nend\n"),
			 FENCEPROOF_MEMBER);
	/* Attributes missing are no proof. */
	ck_assert_int_eq(verdict(FENCED "node node2 - - - -\nend\n"), FENCEPROOF_MEMBER);
}
END_TEST

START_TEST(test_a_fence_of_another_node_proves_nothing)
{
	ck_assert_int_eq(verdict("fence node3 reboot 2 1002 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_NAME_MISMATCH);
	/* node2 is a prefix of node20: names compare whole. */
	ck_assert_int_eq(verdict("fence node20 off 2 1002 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_NAME_MISMATCH);
	/* Even beside a fence of the holder itself. */
	ck_assert_int_eq(verdict(FENCED "fence node3 off 2 1002 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_NAME_MISMATCH);
}
END_TEST

START_TEST(test_a_failed_fence_proves_nothing)
{
	ck_assert_int_eq(verdict("fence node2 reboot 4 1002 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_NO_FENCE);
	/* Nor a successful "on", or any action other than off and reboot. */
	ck_assert_int_eq(verdict("fence node2 on 2 1002 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_NO_FENCE);
	ck_assert_int_eq(verdict("fence node2 status 2 1002 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_NO_FENCE);
}
END_TEST

START_TEST(test_anything_after_the_last_fence_refuses)
{
	/* A later failed attempt: the cluster had reason to fence it again. */
	ck_assert_int_eq(verdict(FENCED "fence node2 reboot 4 1010 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_LATER_ACTION);
	/* Powered on after the fence. */
	ck_assert_int_eq(verdict(FENCED "fence node2 on 2 1003 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_LATER_ACTION);
	/* A fence under way (query 0, exec 1, or a state this code does not know). */
	ck_assert_int_eq(verdict(FENCED "fence node2 off 1 0 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_FENCE_PENDING);
	ck_assert_int_eq(verdict(FENCED "fence node2 off 3 1003 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_FENCE_PENDING);
	/* A failure before the success does not count against it, in any order. */
	ck_assert_int_eq(verdict("fence node2 reboot 4 1001 0\n" FENCED NODE_OUT "end\n"),
			 FENCEPROOF_DEAD);
	ck_assert_int_eq(verdict(FENCED "fence node2 reboot 4 1001 0\n" NODE_OUT "end\n"),
			 FENCEPROOF_DEAD);
}
END_TEST

START_TEST(test_the_latest_of_several_fences_counts)
{
	/* An old fence, a rejoin, a new fence: the node_state is the new fence's. */
	ck_assert_int_eq(verdict("fence node2 off 2 500 0\n" FENCED NODE_OUT "end\n"),
			 FENCEPROOF_DEAD);
	/* A record renewed between two fences was killed by the second. */
	struct lease_rec rec = rec_of("node2", 800000);
	struct fenceproof_evidence ev;

	ck_assert_int_eq(fenceproof_parse(FENCED "fence node2 off 2 500 0\n" NODE_OUT "end\n",
					  "node2", &ev, NULL),
			 0);
	ck_assert_uint_eq(ev.fenced_ms, 1002500);
	ck_assert_int_eq(fenceproof_decide(&rec, "node1", &ev), FENCEPROOF_DEAD);
}
END_TEST

START_TEST(test_a_record_renewed_after_the_fence_is_not_the_fenced_keepers)
{
	struct fenceproof_evidence ev;
	struct lease_rec rec = rec_of("node2", 1002500);

	ck_assert_int_eq(fenceproof_parse(FENCED NODE_OUT "end\n", "node2", &ev, NULL), 0);
	ck_assert_int_eq(fenceproof_decide(&rec, "node1", &ev), FENCEPROOF_RENEWED_AFTER);
	rec.renewed_ms = 1002499;
	ck_assert_int_eq(fenceproof_decide(&rec, "node1", &ev), FENCEPROOF_DEAD);
}
END_TEST

START_TEST(test_no_fence_or_no_node_state_proves_nothing)
{
	ck_assert_int_eq(verdict(NODE_OUT "end\n"), FENCEPROOF_NO_FENCE);
	ck_assert_int_eq(verdict(FENCED "end\n"), FENCEPROOF_NO_NODE_STATE);
	ck_assert_int_eq(verdict("end\n"), FENCEPROOF_NO_FENCE);
}
END_TEST

START_TEST(test_only_another_nodes_held_record_is_weighed)
{
	struct fenceproof_evidence ev;
	struct lease_rec rec = rec_of("node2", 1000000);

	ck_assert_int_eq(fenceproof_parse(FENCED NODE_OUT "end\n", "node2", &ev, NULL), 0);
	ck_assert_int_eq(fenceproof_decide(&rec, "node2", &ev), FENCEPROOF_NOT_FOREIGN);
	rec.state = LEASE_FREE;
	ck_assert_int_eq(fenceproof_decide(&rec, "node1", &ev), FENCEPROOF_NOT_FOREIGN);
	/* Evidence about node2 weighed against node3's record. */
	rec = rec_of("node3", 1000000);
	ck_assert_int_eq(fenceproof_decide(&rec, "node1", &ev), FENCEPROOF_NAME_MISMATCH);
}
END_TEST

START_TEST(test_a_node_state_of_another_node_is_a_mismatch)
{
	ck_assert_int_eq(verdict(FENCED "node node3 false offline down down\nend\n"),
			 FENCEPROOF_NAME_MISMATCH);
}
END_TEST

START_TEST(test_the_querys_error_is_reported_not_parsed)
{
	struct fenceproof_evidence ev;
	const char *err = NULL;

	ck_assert_int_eq(
		fenceproof_parse("error cannot connect to the fencer: x\n", "node2", &ev, &err),
		-EREMOTEIO);
	ck_assert_str_eq(err, "cannot connect to the fencer: x\n");
}
END_TEST

START_TEST(test_malformed_or_cut_answers_are_refused)
{
	static const char *const bad[] = {
		"",
		FENCED NODE_OUT,				/* no end: cut short */
		FENCED NODE_OUT "end",				/* no final newline */
		FENCED NODE_OUT "end\nfence node2 off 2 1 0\n", /* after end */
		FENCED NODE_OUT "end\n\n",
		"fence node2 reboot 2 1002 500000000 x\n" NODE_OUT "end\n", /* 7 fields */
		"fence node2 reboot 2 1002\n" NODE_OUT "end\n",		    /* 5 fields */
		"fence node2  reboot 2 1002 5\n" NODE_OUT "end\n",	    /* empty field */
		"fence node2 reboot 2 -1002 5\n" NODE_OUT "end\n",
		"fence node2 reboot 2 1002 1000000000\n" NODE_OUT "end\n", /* ns out of range */
		"fence node2 reboot 99 1002 5\n" NODE_OUT "end\n",
		"fence node2 reboot 2 99999999999999999999 5\n" NODE_OUT "end\n",
		FENCED NODE_OUT NODE_OUT "end\n", /* two node_states */
		FENCED "node node2 false offline down\nend\n",
		FENCED NODE_OUT "end \n",
		FENCED NODE_OUT "END\n",
		"hello\n" FENCED NODE_OUT "end\n",
		" fence node2 reboot 2 1002 5\n" NODE_OUT "end\n",
		FENCED
		"node node2 false offline down " /* a value too long */
		"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\nend\n",
	};
	struct fenceproof_evidence ev;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(fenceproof_parse(bad[i], "node2", &ev, NULL) == -EBADMSG, "case %zu",
			      i);
	ck_assert_int_eq(fenceproof_parse(NULL, "node2", &ev, NULL), -EINVAL);
	ck_assert_int_eq(fenceproof_parse("end\n", NULL, &ev, NULL), -EINVAL);
}
END_TEST

START_TEST(test_every_verdict_has_words)
{
	for (int v = FENCEPROOF_DEAD; v <= FENCEPROOF_RENEWED_AFTER; v++)
		ck_assert_str_ne(fenceproof_verdict_str((enum fenceproof_verdict)v), "unknown");
}
END_TEST

static Suite *fenceproof_suite(void)
{
	Suite *s = suite_create("sd_fenceproof");

	ADD_CASE(s, test_a_fenced_holder_that_stayed_out_is_proven_dead, 5);
	ADD_CASE(s, test_an_old_fence_followed_by_a_rejoin_proves_nothing, 5);
	ADD_CASE(s, test_a_fence_of_another_node_proves_nothing, 5);
	ADD_CASE(s, test_a_failed_fence_proves_nothing, 5);
	ADD_CASE(s, test_anything_after_the_last_fence_refuses, 5);
	ADD_CASE(s, test_the_latest_of_several_fences_counts, 5);
	ADD_CASE(s, test_a_record_renewed_after_the_fence_is_not_the_fenced_keepers, 5);
	ADD_CASE(s, test_no_fence_or_no_node_state_proves_nothing, 5);
	ADD_CASE(s, test_only_another_nodes_held_record_is_weighed, 5);
	ADD_CASE(s, test_a_node_state_of_another_node_is_a_mismatch, 5);
	ADD_CASE(s, test_the_querys_error_is_reported_not_parsed, 5);
	ADD_CASE(s, test_malformed_or_cut_answers_are_refused, 5);
	ADD_CASE(s, test_every_verdict_has_words, 5);
	return s;
}

int main(void)
{
	return check_run(fenceproof_suite());
}
