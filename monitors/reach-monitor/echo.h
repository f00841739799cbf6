/*
 * ICMP and ICMPv6 echo messages (pure: build into and parse from buffers).
 * With a datagram ICMP socket the kernel owns the identifier and the
 * checksum; with a raw one this code fills both and skips the IPv4 header
 * the kernel hands back.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define ECHO_PAYLOAD 8
#define ECHO_LEN     (8 + ECHO_PAYLOAD)

struct echo {
	uint16_t id;
	uint16_t seq;
	uint32_t token; /* ours: tells our replies from other pingers' on a raw socket */
};

/* An echo request for family into buf (ECHO_LEN bytes); the IPv4 checksum is filled. */
int echo_build(int family, const struct echo *e, uint8_t *buf, size_t size);

/*
 * An echo reply from buf (with_ip_header: a raw IPv4 socket's packet).
 * -ENOMSG for any other ICMP message, -EBADMSG when malformed.
 */
int echo_parse(int family, bool with_ip_header, const uint8_t *buf, size_t len,
	       struct echo *ret_echo);

/* The Internet checksum (RFC 1071) of len bytes. */
uint16_t inet_checksum(const uint8_t *buf, size_t len);
