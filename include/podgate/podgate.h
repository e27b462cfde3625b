/* SPDX-License-Identifier: Apache-2.0 */
/* libpodgate umbrella header: Pod Security Standards evaluation, byte-identical to upstream. */
#ifndef PODGATE_H
#define PODGATE_H

#include "podgate/arena.h"
#include "podgate/buf.h"
#include "podgate/common.h"
#include "podgate/doc.h"
#include "podgate/eval.h"
#include "podgate/limits.h"
#include "podgate/pod.h"
#include "podgate/policy.h"

#endif
