/* version: distconf's version, written here once: --version prints it and
 * the Makefile stamps it on the man pages (their .Os line) at build time. */
#ifndef VERSION_H
#define VERSION_H
#define DISTCONF_VERSION "0.1.0"
#endif
