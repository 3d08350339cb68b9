# The two commands: `make demo` and `make test`. Everything else is a helper for them.
.PHONY: demo test build deps web clean format bench

JOBS ?= $(shell nproc)
DATA ?= var
PORT ?= 8080

deps:
	@scripts/install-deps

build: deps web
	@cmake --preset ci >/dev/null
	@cmake --build --preset ci -j $(JOBS)

# The browser app: type-checked and bundled into web/dist, which `stream serve` serves.
web: deps
	@cd web && npm run --silent build

test: build
	@scripts/run-tests

demo: build
	@scripts/demo $(DATA) $(PORT)

bench: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@bench/run-all

format:
	@find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
