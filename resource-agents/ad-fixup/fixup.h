/*
 * One fixup run over an open directory: for each task, search, plan and
 * apply (or print as LDIF), keeping count of what was done so a failure
 * can say what was done and what is left. No logging: the action layer
 * reports from the counters and err.
 */
#pragma once

#include <stdio.h>

#include "adfix.h"
#include "deadline.h"

struct fixup {
	const struct adfix_config *c;
	const struct dir_ops *ops;
	struct dir *d;
	deadline_t deadline;
	const char *base;  /* domain DN */
	const char *from;  /* the server the directory is moved away from */
	const char *to;	   /* the server it is moved to */
	FILE *ldif;	   /* set: print the changes instead of writing them */
	unsigned finished; /* tasks completed (1 << enum adfix_task) */
	int failed_task;   /* -1, or the task that failed */
	size_t planned[TASK_COUNT], done[TASK_COUNT];
	char err[DIR_ERR_SIZE];
};

/* Run every task of c->task_mask in order; stops at the first failure (-errno, err set). */
int fixup_run(struct fixup *f);

/*
 * Read back a sample (the routing master and a few mail users): 0 when it
 * all points at f->to, -EREMCHG when something still points at f->from
 * (err names it), other -errno on failure.
 */
int fixup_sample(struct fixup *f);

/* "stores (1 modified), spn (2 modified)" for tasks in mask; "none" when empty. */
void fixup_describe(const struct fixup *f, unsigned mask, bool left, char *buf, size_t size);
