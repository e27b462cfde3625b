# Convenience wrapper around CMake presets (CMakePresets.json).
#   make            build build/ (the CLI is build/podgate)
#   make test       build and run the test suite
#   make check      make test + the suite under ASan/UBSan + valgrind memcheck + the
#                   callgrind instruction budget (what CI runs)
#   make bench      benchmarks (bench/run.sh)
JOBS ?= $(shell nproc)
VALGRIND = valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --quiet

.PHONY: all test check asan valgrind perf-check bench clean

all:
	@test -f build/CMakeCache.txt || cmake --preset dev
	cmake --build build -j $(JOBS)

test: all
	cd build && ctest --output-on-failure -j $(JOBS)

asan:
	@test -f build-asan/CMakeCache.txt || cmake --preset asan
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 PG_TEST_ASAN=1 \
		ctest --output-on-failure -j $(JOBS)

valgrind:
	@test -f build-debug/CMakeCache.txt || cmake --preset debug
	cmake --build build-debug -j $(JOBS)
	cd build-debug && PG_TEST_WRAPPER="$(VALGRIND)" \
		ctest --output-on-failure -j $(JOBS)

perf-check: all
	bench/callgrind_check.sh build/podgate

check: test asan valgrind perf-check

bench: all
	bench/run.sh

clean:
	rm -rf build build-debug build-asan build-release build-fuzz
