# The two commands of the README:
#   make run    install what is missing, build, start the server with the demo network
#   make test   install what tests need, build with sanitizers, run every test
# Other targets: build, bench, clean.

BUILD      ?= build
TEST_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run test build build-test deps deps-test bench clean

run: deps build
	./$(BUILD)/forecourt serve --db var/forecourt.db --demo --web web

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFC_TESTS=OFF >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/deps.sh

deps-test:
	@scripts/deps.sh test

build-test: deps-test
	CC=clang CXX=clang++ cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DFC_SANITIZE=ON -DFC_TESTS=ON >/dev/null
	cmake --build $(TEST_BUILD) -j $(JOBS)

test: build-test
	cd $(TEST_BUILD) && ctest --output-on-failure --no-tests=error

bench: deps build
	bench/run.sh

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
