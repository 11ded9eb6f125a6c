/* version.h — the one place the version number lives. */
#ifndef CC_VERSION_H
#define CC_VERSION_H
#define CYBERCELL_VERSION "0.1.0"
#endif
