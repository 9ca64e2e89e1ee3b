/* xsw SDK: include this one header to write an extension.
 * See docs/sdk.md for a walk-through. */
#ifndef XSW_XSW_H
#define XSW_XSW_H

#include "csum.h"
#include "extension.h"
#include "field.h"
#include "host.h"
#include "packet.h"
#include "version.h"

#endif
