#!/bin/sh
# Run a test command under $PG_TEST_WRAPPER (e.g. valgrind) when it is set.
# shellcheck disable=SC2086
exec ${PG_TEST_WRAPPER:-} "$@"
