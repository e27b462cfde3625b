/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal layout of a custom policy set (public API in
 * podgate/custom_policy.h): the policies array and one arena holding every
 * string, list and exemption, all released by pg_policy_set_free.
 */
#ifndef PG_POLICY_CUSTOM_H
#define PG_POLICY_CUSTOM_H

#include "podgate/arena.h"
#include "podgate/custom_policy.h"

struct pg_policy_set {
    struct pg_arena *arena;
    struct pg_policy *policies; /* heap array, grown while loading */
    size_t len;
    size_t cap;
    size_t exemptions_total;
};

#endif
