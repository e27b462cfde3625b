# Convenience wrapper: `make` builds into build/, `make test` runs every test.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all test clean asan bench format

all: $(BUILD)/build.ninja-or-make
	cmake --build $(BUILD) -j $(JOBS)

$(BUILD)/build.ninja-or-make:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	@touch $@

test: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
