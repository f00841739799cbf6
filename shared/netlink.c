/*
 * rtnetlink over libmnl. One socket per purpose: a request socket never
 * subscribes to groups, so notifications cannot be mistaken for replies.
 */
#include "netlink.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "macro.h"

/* Large enough for any rtnetlink dump message (libmnl's MNL_SOCKET_DUMP_SIZE). */
#define NL_BUFFER_SIZE 32768

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	unsigned seq;
	char buf[NL_BUFFER_SIZE];
};

struct nl *nl_close(struct nl *nl)
{
	if (!nl)
		return NULL;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
	return NULL;
}

void nl_closep(struct nl **nl)
{
	*nl = nl_close(*nl);
}

int nl_open(unsigned groups, struct nl **ret_nl)
{
	_cleanup_nl_ struct nl *nl = NULL;
	int one = 1;

	if (!ret_nl)
		return -EINVAL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock)
		return negative_errno();
	/* Ask for the kernel's reason text; harmless where unsupported. */
	(void)mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, groups, MNL_SOCKET_AUTOPID) < 0)
		return negative_errno();
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	*ret_nl = TAKE_PTR(nl);
	return 0;
}

struct nlmsghdr *nl_message(struct nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(nl->buf, 0, sizeof(nl->buf));
	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static bool nl_is_dump(const struct nlmsghdr *nlh)
{
	/* rtnetlink message types come in NEW/DEL/GET/SET quadruples; GET is 2 mod 4. */
	return (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP && (nlh->nlmsg_type & 3) == 2;
}

int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	unsigned seq;
	int r;

	if (!nl || !nlh)
		return -EINVAL;
	/* NLM_F_DUMP shares bits with NLM_F_EXCL/NLM_F_REPLACE: only a GET dumps. */
	if (!nl_is_dump(nlh))
		nlh->nlmsg_flags |= NLM_F_ACK;
	seq = ++nl->seq;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return negative_errno();
	do {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));

		if (n < 0)
			return negative_errno();
		r = mnl_cb_run(nl->buf, (size_t)n, seq, nl->portid, cb, data);
	} while (r > MNL_CB_STOP);
	return r < 0 ? negative_errno() : 0;
}

int nl_wait_event(struct nl *nl, deadline_t deadline, mnl_cb_t cb, void *data)
{
	struct pollfd pfd = {.fd = mnl_socket_get_fd(nl->sock), .events = POLLIN};

	for (;;) {
		ssize_t n;
		int r = poll(&pfd, 1, deadline_poll_timeout(deadline));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return negative_errno();
		if (r == 0)
			return -ETIME;
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0)
			return negative_errno();
		r = mnl_cb_run(nl->buf, (size_t)n, 0, 0, cb, data);
		if (r < 0)
			return negative_errno();
		if (r == MNL_CB_STOP)
			return 1;
	}
}

int nl_fd(struct nl *nl)
{
	return nl ? mnl_socket_get_fd(nl->sock) : -EINVAL;
}

int nl_receive(struct nl *nl, mnl_cb_t cb, void *data)
{
	ssize_t n;
	int r;

	if (!nl)
		return -EINVAL;
	n = recv(mnl_socket_get_fd(nl->sock), nl->buf, sizeof(nl->buf), MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : negative_errno();
	r = mnl_cb_run(nl->buf, (size_t)n, 0, 0, cb, data);
	if (r < 0)
		return negative_errno();
	return r == MNL_CB_STOP ? 1 : 0;
}
