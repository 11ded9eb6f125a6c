/*
 * hex.h — hexadecimal digits, shared by every parser that meets them
 * (UUIDs, percent-encoding, h'' literals, Zeek \x escapes).
 */
#ifndef CC_UTIL_HEX_H
#define CC_UTIL_HEX_H

/* The value 0..15 of hex digit c (either case), or -1 if c is not one. */
int cc_hex_digit(int c);

#endif
