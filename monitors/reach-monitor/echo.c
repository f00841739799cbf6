/* ICMP echo building and parsing (pure). */
#include "echo.h"

#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#define ICMP4_ECHO_REQUEST 8
#define ICMP4_ECHO_REPLY   0
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY   129

uint16_t inet_checksum(const uint8_t *buf, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(buf[i] << 8 | buf[i + 1]);
	if (len & 1)
		sum += (uint32_t)buf[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int echo_build(int family, const struct echo *e, uint8_t *buf, size_t size)
{
	uint16_t sum;

	if (!e || !buf || size < ECHO_LEN || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	memset(buf, 0, ECHO_LEN);
	buf[0] = family == AF_INET ? ICMP4_ECHO_REQUEST : ICMP6_ECHO_REQUEST;
	buf[4] = (uint8_t)(e->id >> 8);
	buf[5] = (uint8_t)e->id;
	buf[6] = (uint8_t)(e->seq >> 8);
	buf[7] = (uint8_t)e->seq;
	for (unsigned i = 0; i < 4; i++)
		buf[8 + i] = (uint8_t)(e->token >> (24 - 8 * i));
	if (family == AF_INET) { /* ICMPv6's covers a pseudo-header: the kernel fills it */
		sum = inet_checksum(buf, ECHO_LEN);
		buf[2] = (uint8_t)(sum >> 8);
		buf[3] = (uint8_t)sum;
	}
	return ECHO_LEN;
}

int echo_parse(int family, bool with_ip_header, const uint8_t *buf, size_t len,
	       struct echo *ret_echo)
{
	size_t skip = 0;

	if (!buf || !ret_echo || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	if (with_ip_header) {
		if (len < 20 || buf[0] >> 4 != 4 || (size_t)(buf[0] & 0xf) * 4 < 20)
			return -EBADMSG;
		skip = (size_t)(buf[0] & 0xf) * 4;
		if (len < skip)
			return -EBADMSG;
	}
	buf += skip;
	len -= skip;
	if (len < 8)
		return -EBADMSG;
	if (buf[0] != (family == AF_INET ? ICMP4_ECHO_REPLY : ICMP6_ECHO_REPLY) || buf[1] != 0)
		return -ENOMSG;
	if (len < ECHO_LEN)
		return -EBADMSG;
	ret_echo->id = (uint16_t)(buf[4] << 8 | buf[5]);
	ret_echo->seq = (uint16_t)(buf[6] << 8 | buf[7]);
	ret_echo->token =
		(uint32_t)buf[8] << 24 | (uint32_t)buf[9] << 16 | (uint32_t)buf[10] << 8 | buf[11];
	return 0;
}
