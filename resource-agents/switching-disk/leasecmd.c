/*
 * exha-lease: format, show and clear the lease area of switching-disk's
 * lease_device (leasearea.h), as sfex_init or `sanlock direct init` do
 * for theirs. Run by hand, as root, on one node.
 *
 *   exha-lease init [--slots N] [--force] DEVICE
 *   exha-lease show DEVICE
 *   exha-lease clear --slot N [--force] DEVICE
 *
 * init refuses a device that is in use (opened exclusively: mounted, or
 * held by device-mapper or md; --force does not change that), that is too
 * small, or, unless --force, that carries any signature libblkid knows
 * (filesystem, partition table, RAID, LVM...) or any non-zero byte in
 * the first MiB or the area. Slot records are written before the header,
 * so an interrupted init leaves no area behind.
 *
 * clear frees a slot and unassigns it from its resource. A slot held by a
 * node is cleared only when its holder is proven dead the way a taker
 * proves it: the record stands still for the whole timeout it names plus
 * a second, on this node's monotonic clock, while a live keeper rewrites
 * it every timeout/3. Clocks never decide it. --force skips the watch
 * (and clears a damaged record, whose holder cannot be judged).
 *
 * Exit status: 0 done; 1 refused (the device or the slot is not in a
 * state the command may change: in use, data or a signature on init, not
 * a lease device, a live holder, a damaged record); 2 usage; 3 the device
 * could not be opened, read or written.
 */
#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "leasearea.h"
#include "leasedev.h"
#include "macro.h"

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

#define DEFAULT_SLOTS 16u
#define ZERO_CHECK    (1024u * 1024u) /* init looks at least this far for data */

struct opts {
	const char *cmd;
	const char *device;
	uint32_t slots;
	long slot; /* -1: not given */
	int force;
};

static int fail(int status, const char *fmt, ...) _printf_(2, 3);

static int fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("exha-lease: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

static int usage(void)
{
	fputs("usage: exha-lease init [--slots N] [--force] DEVICE\n"
	      "       exha-lease show DEVICE\n"
	      "       exha-lease clear --slot N [--force] DEVICE\n",
	      stderr);
	return EXIT_USAGE;
}

/* --help: what the commands do, on stdout (the man page is made from it). */
#define HELP_SHOWN (-1)
static int help(void)
{
	fputs("usage: exha-lease init [--slots N] [--force] DEVICE\n"
	      "       exha-lease show DEVICE\n"
	      "       exha-lease clear --slot N [--force] DEVICE\n"
	      "\n"
	      "Formats and inspects the lease area of ocf:exha:switching-disk: a small\n"
	      "device of its own (never the data device) holding one slot per failover\n"
	      "group (the agent's lease_slot).\n"
	      "\n"
	      "  init    format DEVICE with N slots (default 16); refuses a device that\n"
	      "          holds a signature libblkid knows or any non-zero data, unless\n"
	      "          --force; refuses a device in use even then\n"
	      "  show    print the header and every slot: resource, state, owner,\n"
	      "          generation, timeout, age\n"
	      "  clear   free slot N and forget its resource; a held slot only after its\n"
	      "          record stood still for the timeout it names; --force for a\n"
	      "          damaged one\n"
	      "\n"
	      "Exit status: 0 done, 1 refused, 2 usage, 3 I/O error.\n",
	      stdout);
	return HELP_SHOWN;
}

static int parse_u32(const char *s, uint32_t max, uint32_t *ret)
{
	char *end;
	unsigned long long v;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"slots", required_argument, NULL, 'n'},
		{"slot", required_argument, NULL, 's'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	uint32_t v;
	int c;

	*o = (struct opts){.slots = DEFAULT_SLOTS, .slot = -1};
	while ((c = getopt_long(argc, argv, "fh", longopts, NULL)) != -1) {
		if (c == 'n' && parse_u32(optarg, LEASEAREA_SLOTS_MAX, &v) == 0 && v > 0)
			o->slots = v;
		else if (c == 's' && parse_u32(optarg, LEASEAREA_SLOTS_MAX - 1, &v) == 0)
			o->slot = v;
		else if (c == 'f')
			o->force = 1;
		else if (c == 'h')
			return help();
		else
			return fail(EXIT_USAGE,
				    "bad option (--slots takes 1 to %u, --slot 0 to %u)",
				    LEASEAREA_SLOTS_MAX, LEASEAREA_SLOTS_MAX - 1);
	}
	if (argc - optind != 2)
		return usage();
	o->cmd = argv[optind];
	o->device = argv[optind + 1];
	if (strcmp(o->cmd, "clear") == 0 && o->slot < 0)
		return fail(EXIT_USAGE, "clear needs --slot N");
	return 0;
}

/* The device by path, or by a libblkid tag (LABEL=, UUID=...): malloc'ed. */
static char *device_path(const char *spec)
{
	return spec[0] == '/' ? strdup(spec) : blkid_evaluate_tag(spec, NULL, NULL);
}

static int device_open(const char *spec, int flags, int *ret_fd)
{
	_cleanup_free_ char *path = device_path(spec);
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (!path)
		return fail(EXIT_IO, "'%s': no such device", spec);
	fd = open(path, flags | O_DIRECT | O_DSYNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == EBUSY)
		return fail(EXIT_REFUSED,
			    "'%s' is in use (mounted, or held by device-mapper, md or another "
			    "exclusive user)",
			    spec);
	if (fd < 0)
		return fail(EXIT_IO, "cannot open '%s': %s", spec, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode))
		return fail(EXIT_REFUSED, "'%s' is not a block device", spec);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* ------------------------------------------------------------------- init */

static void blkid_probe_freep(blkid_probe *p)
{
	if (*p)
		blkid_free_probe(*p);
}

/* Any signature libblkid knows, through the page cache (its reads are not aligned). */
static int init_check_signature(const char *spec)
{
	_cleanup_free_ char *path = device_path(spec);
	_cleanup_(blkid_probe_freep) blkid_probe pr = NULL;
	const char *type = NULL;
	int r;

	if (!path || !(pr = blkid_new_probe_from_filename(path)))
		return fail(EXIT_IO, "cannot probe '%s' for signatures", spec);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	blkid_probe_enable_partitions(pr, 1);
	r = blkid_do_safeprobe(pr);
	if (r == 1)
		return 0;
	if (r == -2)
		return fail(EXIT_REFUSED,
			    "'%s' carries several signatures: not formatting it "
			    "(--force to format anyway)",
			    spec);
	if (r < 0)
		return fail(EXIT_IO, "cannot probe '%s' for signatures", spec);
	if (blkid_probe_lookup_value(pr, "TYPE", &type, NULL) < 0 &&
	    blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL) < 0)
		type = "unknown";
	return fail(EXIT_REFUSED,
		    "'%s' carries a signature (%s): not formatting it (--force to format anyway)",
		    spec, type);
}

static int init_check_zero(const char *spec, int fd, uint64_t area, uint64_t size)
{
	_cleanup_free_ uint8_t *block = leasedev_block_new();
	uint64_t end = MIN(MAX(area, (uint64_t)ZERO_CHECK), size);
	int r;

	if (!block)
		return fail(EXIT_IO, "out of memory");
	for (uint64_t off = 0; off + LEASE_BLOCK_SIZE <= end; off += LEASE_BLOCK_SIZE) {
		enum leasearea_kind kind;

		r = leasedev_block_read(fd, off, block);
		if (r < 0)
			return fail(EXIT_IO, "cannot read '%s': %s", spec, strerror(-r));
		kind = off == 0 ? leasearea_probe(block, LEASE_BLOCK_SIZE, NULL) : LEASEAREA_ZERO;
		if (kind != LEASEAREA_ZERO && kind != LEASEAREA_FOREIGN)
			return fail(EXIT_REFUSED,
				    "'%s' is a lease device already: not formatting it again "
				    "(--force to reformat: every slot is lost)",
				    spec);
		for (size_t i = 0; i < LEASE_BLOCK_SIZE; i++)
			if (block[i])
				return fail(EXIT_REFUSED,
					    "'%s' holds data (a non-zero byte at offset %" PRIu64
					    "): not formatting it (--force to format anyway)",
					    spec, off + i);
	}
	return 0;
}

static int init_write(const char *spec, int fd, uint32_t slots)
{
	_cleanup_free_ uint8_t *block = leasedev_block_new();
	struct leasearea_header h = {.slots = slots, .block_size = LEASE_BLOCK_SIZE};
	const struct lease_rec free_rec = {.state = LEASE_FREE};
	int r;

	if (!block)
		return fail(EXIT_IO, "out of memory");
	/* Slots first, the header last: until it lands, the device is no lease area. */
	for (uint32_t s = 0; s < slots; s++) {
		memset(block, 0, LEASE_BLOCK_SIZE);
		r = leasearea_slot_encode(s, "", &free_rec, block, LEASE_BLOCK_SIZE);
		if (r == 0)
			r = leasedev_block_write(fd, leasearea_slot_offset(s), block);
		if (r < 0)
			return fail(EXIT_IO, "cannot write slot %u of '%s': %s", s, spec,
				    strerror(-r));
	}
	memset(block, 0, LEASE_BLOCK_SIZE);
	r = leasearea_header_encode(&h, block, LEASE_BLOCK_SIZE);
	if (r == 0)
		r = leasedev_block_write(fd, 0, block);
	if (r == 0 && fsync(fd) < 0)
		r = negative_errno();
	if (r < 0)
		return fail(EXIT_IO, "cannot write the header of '%s': %s", spec, strerror(-r));
	return 0;
}

static int cmd_init(const struct opts *o)
{
	_cleanup_close_ int fd = -1;
	uint64_t area = leasearea_size(o->slots), size;
	int r = device_open(o->device, O_RDWR | O_EXCL, &fd);

	if (r)
		return r;
	r = leasedev_size(fd, &size);
	if (r < 0)
		return fail(EXIT_IO, "cannot get the size of '%s': %s", o->device, strerror(-r));
	if (size < area)
		return fail(EXIT_REFUSED,
			    "'%s' has %" PRIu64 " bytes: %u slots need %" PRIu64
			    " (4 KiB for the header, 4 KiB per slot)",
			    o->device, size, o->slots, area);
	if (!o->force && ((r = init_check_signature(o->device)) ||
			  (r = init_check_zero(o->device, fd, area, size))))
		return r;
	r = init_write(o->device, fd, o->slots);
	if (r)
		return r;
	printf("'%s': lease area version %u, %u slots of %u bytes (%" PRIu64 " bytes)\n", o->device,
	       LEASEAREA_VERSION, o->slots, LEASE_BLOCK_SIZE, area);
	return 0;
}

/* -------------------------------------------------------------- show, clear */

/* What block 0 says: 0 and the slots of a lease device (1 for v1), or a refusal. */
static int area_open(const char *spec, int fd, enum leasearea_kind *ret_kind, uint32_t *ret_slots)
{
	_cleanup_free_ uint8_t *block = leasedev_block_new();
	struct leasearea_header h = {0};
	uint64_t size;
	int r;

	if (!block)
		return fail(EXIT_IO, "out of memory");
	r = leasedev_block_read(fd, 0, block);
	if (r < 0 && r != -ENOSPC)
		return fail(EXIT_IO, "cannot read '%s': %s", spec, strerror(-r));
	*ret_kind = r < 0 ? LEASEAREA_FOREIGN : leasearea_probe(block, LEASE_BLOCK_SIZE, &h);
	switch (*ret_kind) {
	case LEASEAREA_V1:
		*ret_slots = 1;
		return 0;
	case LEASEAREA_V2:
		*ret_slots = h.slots;
		r = leasedev_size(fd, &size);
		if (r < 0)
			return fail(EXIT_IO, "cannot get the size of '%s': %s", spec, strerror(-r));
		if (size < leasearea_size(h.slots))
			return fail(EXIT_REFUSED, "'%s' is shorter than its lease area (%u slots)",
				    spec, h.slots);
		return 0;
	case LEASEAREA_ZERO:
		return fail(EXIT_REFUSED, "'%s' is blank: not a lease device (exha-lease init)",
			    spec);
	case LEASEAREA_DAMAGED:
		return fail(EXIT_REFUSED, "'%s': the lease area header is damaged", spec);
	case LEASEAREA_NEWER:
		return fail(EXIT_REFUSED, "'%s' has a newer lease format than this command knows",
			    spec);
	default:
		return fail(EXIT_REFUSED, "'%s' holds other data: not a lease device", spec);
	}
}

struct slot_view {
	int decode; /* the decoder's answer */
	struct lease_rec rec;
	char resource[LEASEAREA_RESOURCE_MAX + 1];
};

static int slot_read(int fd, enum leasearea_kind kind, uint32_t slot, struct slot_view *ret)
{
	_cleanup_free_ uint8_t *block = leasedev_block_new();
	uint64_t off = kind == LEASEAREA_V1 ? 0 : leasearea_slot_offset(slot);
	int r;

	if (!block)
		return -ENOMEM;
	r = leasedev_block_read(fd, off, block);
	if (r < 0)
		return r;
	*ret = (struct slot_view){0};
	ret->decode = kind == LEASEAREA_V1 ? lease_decode(block, LEASE_BLOCK_SIZE, &ret->rec)
					   : leasearea_slot_decode(block, LEASE_BLOCK_SIZE, slot,
								   &ret->rec, ret->resource);
	return 0;
}

static uint64_t realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void slot_print(uint32_t slot, const struct slot_view *v, uint64_t now)
{
	const struct lease_rec *r = &v->rec;

	if (v->decode < 0) {
		printf("%-5u damaged record (%s)\n", slot, strerror(-v->decode));
		return;
	}
	printf("%-5u %-24s %-5s %-20s %10" PRIu64 " %6.1f s  ", slot,
	       v->resource[0] ? v->resource : "-", r->state == LEASE_HELD ? "held" : "free",
	       r->owner[0] ? r->owner : "-", r->generation, r->timeout_ms / 1000.0);
	if (r->renewed_ms == 0)
		printf("never\n");
	else if (r->renewed_ms <= now)
		printf("%.1f s ago\n", (double)(now - r->renewed_ms) / 1000.0);
	else
		printf("%.1f s ahead of this clock\n", (double)(r->renewed_ms - now) / 1000.0);
}

static int cmd_show(const struct opts *o)
{
	_cleanup_close_ int fd = -1;
	enum leasearea_kind kind;
	uint32_t slots;
	uint64_t now;
	int r = device_open(o->device, O_RDONLY, &fd);

	if (r || (r = area_open(o->device, fd, &kind, &slots)))
		return r;
	if (kind == LEASEAREA_V1)
		printf("'%s': lease record version 1 (slot 0 only, no header)\n", o->device);
	else
		printf("'%s': lease area version %u, %u slots of %u bytes\n", o->device,
		       LEASEAREA_VERSION, slots, LEASE_BLOCK_SIZE);
	printf("%-5s %-24s %-5s %-20s %10s %8s  %s\n", "slot", "resource", "state", "owner",
	       "generation", "timeout", "renewed (this node's clock)");
	now = realtime_ms();
	for (uint32_t s = 0; s < slots; s++) {
		struct slot_view v;

		r = slot_read(fd, kind, s, &v);
		if (r < 0)
			return fail(EXIT_IO, "cannot read slot %u of '%s': %s", s, o->device,
				    strerror(-r));
		slot_print(s, &v, now);
	}
	return 0;
}

static bool view_same(const struct slot_view *a, const struct slot_view *b)
{
	return a->decode == b->decode && lease_stood_still(&a->rec, &b->rec) &&
	       a->rec.renewed_ms == b->rec.renewed_ms && strcmp(a->resource, b->resource) == 0;
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts = {.tv_sec = (time_t)(ms / 1000),
			      .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* 0 when the record stood still for its whole timeout plus a second; 1 when it moved. */
static int clear_watch(int fd, enum leasearea_kind kind, uint32_t slot,
		       const struct slot_view *first)
{
	uint64_t timeout = MIN(MAX(first->rec.timeout_ms, 1000u), 600000u) + 1000u;
	uint64_t end = mono_ms() + timeout;
	struct slot_view later;

	fprintf(stderr, "exha-lease: slot %u is held by node '%s': watching it for %.1f s\n", slot,
		first->rec.owner, (double)timeout / 1000.0);
	while (mono_ms() < end) {
		int r;

		sleep_ms(MIN(MAX(timeout / 20u, 100u), 500u));
		r = slot_read(fd, kind, slot, &later);
		if (r < 0)
			return r;
		if (!view_same(first, &later))
			return 1;
	}
	return 0;
}

static int clear_write(int fd, enum leasearea_kind kind, uint32_t slot,
		       const struct slot_view *seen)
{
	_cleanup_free_ uint8_t *block = leasedev_block_new();
	struct lease_rec rec = {.state = LEASE_FREE,
				.generation = seen->decode < 0 ? 0 : seen->rec.generation + 1,
				.renewed_ms = realtime_ms()};
	int r;

	if (!block)
		return -ENOMEM;
	r = kind == LEASEAREA_V1 ? lease_encode(&rec, block, LEASE_BLOCK_SIZE)
				 : leasearea_slot_encode(slot, "", &rec, block, LEASE_BLOCK_SIZE);
	if (r < 0)
		return r;
	return leasedev_block_write(fd, kind == LEASEAREA_V1 ? 0 : leasearea_slot_offset(slot),
				    block);
}

static int cmd_clear(const struct opts *o)
{
	_cleanup_close_ int fd = -1;
	uint32_t slot = (uint32_t)o->slot, slots;
	enum leasearea_kind kind;
	struct slot_view seen, now;
	int r = device_open(o->device, O_RDWR, &fd);

	if (r || (r = area_open(o->device, fd, &kind, &slots)))
		return r;
	if (slot >= slots)
		return fail(EXIT_REFUSED, "'%s' has %u slot(s): no slot %u", o->device, slots,
			    slot);
	r = slot_read(fd, kind, slot, &seen);
	if (r == 0 && seen.decode < 0 && !o->force)
		return fail(EXIT_REFUSED,
			    "slot %u of '%s' is damaged: whether a node holds it cannot be told "
			    "(--force clears it)",
			    slot, o->device);
	if (r == 0 && seen.decode >= 0 && seen.rec.state == LEASE_HELD && !o->force) {
		r = clear_watch(fd, kind, slot, &seen);
		if (r == 1)
			return fail(EXIT_REFUSED,
				    "slot %u of '%s' is held by node '%s', which renewed it while "
				    "watched: stop its resource first (or --force)",
				    slot, o->device, seen.rec.owner);
		/* Unchanged up to the write: a record written meanwhile is not ours to erase. */
		if (r == 0)
			r = slot_read(fd, kind, slot, &now);
		if (r == 0 && !view_same(&seen, &now))
			return fail(EXIT_REFUSED,
				    "slot %u of '%s' changed while watched: not cleared", slot,
				    o->device);
	}
	if (r == 0)
		r = clear_write(fd, kind, slot, &seen);
	if (r < 0)
		return fail(EXIT_IO, "cannot clear slot %u of '%s': %s", slot, o->device,
			    strerror(-r));
	printf("slot %u of '%s' is free and unassigned\n", slot, o->device);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	int r = parse_args(argc, argv, &o);

	if (r == HELP_SHOWN)
		return 0;
	if (r)
		return r;
	if (strcmp(o.cmd, "init") == 0)
		return cmd_init(&o);
	if (strcmp(o.cmd, "show") == 0)
		return cmd_show(&o);
	if (strcmp(o.cmd, "clear") == 0)
		return cmd_clear(&o);
	return usage();
}
